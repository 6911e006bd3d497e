import { SESpecError } from '../errors/index.js';
import { type NetworkSEParams, networkSESpec } from './se-spec.js';
import type {
  ArchitectureName,
  BatchNormConfig,
  NetworkActivation,
  NetworkDefinition,
  NetworkNaming,
  NetworkNode,
  Pair,
} from './types.js';

/** PyTorch's default BatchNorm2d: eps 1e-5, momentum 0.1. */
export const TORCH_BATCH_NORM: BatchNormConfig = Object.freeze({ eps: 1e-5, momentum: 0.1 });

export interface ConvArgs {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride?: number;
  readonly groups?: number;
  readonly dilation?: number;
  readonly bias?: boolean;
  /** Symmetric padding; PyTorch's "same for odd kernels", `(k - 1) / 2 · dilation`, by default. */
  readonly padding?: number;
}

/** A node as a builder pushes it: everything but its id and inputs. */
export type NodeWithoutId = NetworkNode extends infer N
  ? N extends NetworkNode
    ? Omit<N, 'id' | 'inputs'>
    : never
  : never;

/** Appends nodes in order; every helper returns the new node's id for the next one to read. */
export class GraphBuilder {
  private readonly nodes: NetworkNode[] = [];
  private readonly ids = new Set<string>();

  constructor(inputChannels: number) {
    this.push('input', [], { op: 'input', channels: inputChannels });
  }

  get inputId(): string {
    return 'input';
  }

  push(id: string, inputs: readonly string[], node: NodeWithoutId): string {
    if (this.ids.has(id)) throw new SESpecError(`network node ${id}`, 'a unique node id', id);
    this.ids.add(id);
    this.nodes.push({ id, inputs: [...inputs], ...node } as NetworkNode);
    return id;
  }

  conv(input: string, module: string, args: ConvArgs): string {
    const dilation = args.dilation ?? 1;
    const pad = args.padding ?? ((args.kernel - 1) / 2) * dilation;
    const square = (v: number): Pair => [v, v];
    return this.push(module, [input], {
      op: 'conv2d',
      module,
      inChannels: args.inChannels,
      outChannels: args.outChannels,
      kernel: square(args.kernel),
      stride: square(args.stride ?? 1),
      padding: [pad, pad, pad, pad],
      dilation: square(dilation),
      groups: args.groups ?? 1,
      bias: args.bias ?? false,
    });
  }

  batchNorm(input: string, module: string, channels: number, config: BatchNormConfig): string {
    return this.push(module, [input], {
      op: 'batchNorm',
      module,
      channels,
      eps: config.eps,
      momentum: config.momentum,
    });
  }

  activation(input: string, id: string, activation: NetworkActivation): string {
    return this.push(id, [input], { op: 'activation', activation });
  }

  se(input: string, module: string, params: NetworkSEParams): string {
    return this.push(module, [input], { op: 'se', module, spec: networkSESpec(params) });
  }

  add(a: string, b: string, id: string): string {
    return this.push(id, [a, b], { op: 'add' });
  }

  finish(
    architecture: ArchitectureName,
    naming: NetworkNaming,
    numClasses: number,
    options: Readonly<Record<string, number>>,
    output: string,
  ): NetworkDefinition {
    return Object.freeze({
      format: 'seblock-network',
      version: 1,
      architecture,
      naming,
      numClasses,
      options: Object.freeze({ ...options }),
      nodes: Object.freeze([...this.nodes]),
      output,
    });
  }
}

/** `numClasses` checked: an integer ≥ 1 (1000 by default). */
export function checkNumClasses(value: number | undefined): number {
  const n = value ?? 1000;
  if (!Number.isInteger(n) || n < 1)
    throw new SESpecError('options.numClasses', 'an integer >= 1', n);
  return n;
}

/** A width multiplier checked: finite and > 0 (1 by default). */
export function checkMultiplier(value: number | undefined, field: string): number {
  const m = value ?? 1;
  if (!Number.isFinite(m) || m <= 0) throw new SESpecError(field, 'a finite number > 0', m);
  return m;
}

export const RELU: NetworkActivation = Object.freeze({ kind: 'relu' });
export const HARDSWISH: NetworkActivation = Object.freeze({ kind: 'hardswish' });
export const SILU: NetworkActivation = Object.freeze({ kind: 'silu' });

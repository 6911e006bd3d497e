import { type Layout, SEError, SEShapeError } from '@seblock/se-core';
import type { serialization } from '@tensorflow/tfjs-core';
import {
  type LayersModel,
  LayersModel as LayersModelClass,
  Sequential,
} from '@tensorflow/tfjs-layers';
import { registerSqueezeExcite } from '../layer/register.js';
import type { SqueezeExciteSpecInput } from '../layer/spec.js';
import { SqueezeExcite } from '../layer/squeeze-excite.js';
import { checkLayout, checkSymbolicShape } from '../validate.js';
import type { SEOptions } from './common.js';

/** Options of {@link insertSE}. */
export interface InsertSEOptions extends SEOptions {
  /** Names of the layers whose output gets an SE block (each must be used once in the model). */
  readonly after: readonly string[];
  /** 'NHWC' (default) or 'NCHW': the layout of those layers' outputs. */
  readonly layout?: Layout;
  /** Name of the SE layer added after `layerName`; `${layerName}_se` by default. */
  readonly name?: (layerName: string) => string;
}

type InboundEntry = [string, number, number, serialization.ConfigDict?];
interface LayerEntry {
  name: string;
  className: string;
  config: serialization.ConfigDict;
  inboundNodes: InboundEntry[][];
}
interface FunctionalConfig {
  name: string;
  layers: LayerEntry[];
  inputLayers: [string, number, number][];
  outputLayers: [string, number, number][];
}

/** The model's graph as a functional-model config; a Sequential model is written out as one. */
function functionalConfig(model: LayersModel): FunctionalConfig {
  if (model instanceof Sequential) {
    const input = model.inputs[0];
    const inputName = input?.sourceLayer?.name ?? `${model.name}_input`;
    const layers: LayerEntry[] = [
      {
        name: inputName,
        className: 'InputLayer',
        config: {
          batchInputShape: input?.shape ?? null,
          dtype: input?.dtype ?? 'float32',
          sparse: false,
          name: inputName,
        },
        inboundNodes: [],
      },
    ];
    let previous = inputName;
    for (const layer of model.layers) {
      layers.push({
        name: layer.name,
        className: layer.getClassName(),
        config: layer.getConfig(),
        inboundNodes: [[[previous, 0, 0, {}]]],
      });
      previous = layer.name;
    }
    return JSON.parse(
      JSON.stringify({
        name: model.name,
        layers,
        inputLayers: [[inputName, 0, 0]],
        outputLayers: [[previous, 0, 0]],
      }),
    );
  }
  // A deep copy: the rewiring below must not touch the original model's config objects.
  return JSON.parse(JSON.stringify(model.getConfig()));
}

/**
 * Returns a new functional model in which an SE block follows each layer named in `after`,
 * with the original layers' weights copied over (the original model is left as it was). The SE
 * layers start freshly initialised: fine-tune, or fill them with {@link loadSEWeights}.
 *
 * @example
 * ```ts
 * const withSE = insertSE(model, { after: ['block1_conv2', 'block2_conv2'], rule: 'paper' });
 * loadSEWeights(withSE.getLayer('block1_conv2_se') as SqueezeExcite, bytes);
 * ```
 */
export function insertSE(model: LayersModel, options: InsertSEOptions): LayersModel {
  registerSqueezeExcite();
  const layout = checkLayout(options?.layout);
  if (!(model instanceof LayersModelClass)) {
    throw new SEError('model', 'expected a tf.LayersModel (tf.model or tf.sequential)');
  }
  const after = options.after;
  if (!Array.isArray(after) || after.length === 0 || !after.every((n) => typeof n === 'string')) {
    throw new SEError(
      'options.after',
      `expected a non-empty array of layer names, received ${JSON.stringify(after)}`,
    );
  }
  const config = functionalConfig(model);
  const names = new Set(config.layers.map((layer) => layer.name));
  const seNameOf = options.name ?? ((layerName: string) => `${layerName}_se`);

  for (const [i, layerName] of after.entries()) {
    const field = `options.after[${i}]`;
    const index = config.layers.findIndex((layer) => layer.name === layerName);
    const entry = config.layers[index];
    if (!entry) {
      throw new SEError(
        field,
        `no layer "${layerName}" in model "${model.name}" (layers: ${[...names].join(', ')})`,
      );
    }
    if (entry.inboundNodes.length > 1) {
      throw new SEError(
        field,
        `layer "${layerName}" is used ${entry.inboundNodes.length} times in the model: which output gets SE is ambiguous`,
      );
    }
    const outputShape = model.getLayer(layerName).outputShape;
    if (Array.isArray(outputShape[0])) {
      throw new SEShapeError(
        `${field} output`,
        'a single output tensor',
        `${outputShape.length} outputs`,
      );
    }
    const channels = checkSymbolicShape(
      outputShape as (number | null)[],
      layout,
      undefined,
      `${field} output shape`,
    );
    const seName = seNameOf(layerName);
    if (names.has(seName))
      throw new SEError(field, `the model already has a layer named "${seName}"`);
    names.add(seName);

    const se = new SqueezeExcite({
      spec: { ...options.spec, channels } as SqueezeExciteSpecInput,
      ...(options.rule !== undefined ? { rule: options.rule } : {}),
      ...(options.kernelInitializer ? { kernelInitializer: options.kernelInitializer } : {}),
      ...(options.biasInitializer ? { biasInitializer: options.biasInitializer } : {}),
      layout,
      name: seName,
    });
    // Everything that read the layer's output now reads the SE output instead.
    const rewire = (ref: InboundEntry | [string, number, number]) => {
      if (ref[0] === layerName && ref[1] === 0) ref[0] = seName;
    };
    for (const layer of config.layers) for (const node of layer.inboundNodes) node.forEach(rewire);
    config.outputLayers.forEach(rewire);
    config.layers.splice(index + 1, 0, {
      name: seName,
      className: SqueezeExcite.className,
      config: JSON.parse(JSON.stringify(se.getConfig())),
      inboundNodes: [[[layerName, 0, 0, {}]]],
    });
  }

  const rebuilt = LayersModelClass.fromConfig(
    LayersModelClass,
    config as unknown as serialization.ConfigDict,
  ) as LayersModel;
  for (const layer of model.layers) {
    rebuilt.getLayer(layer.name).setWeights(layer.getWeights());
  }
  return rebuilt;
}

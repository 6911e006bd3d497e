import type { PrecisionClass, PrecisionTolerance, SESpec } from '@seblock/se-core';
import type { BackendDescriptor } from './backends/types.js';
import type { ErrorMetrics } from './compare/metrics.js';

export type CellStatus = 'pass' | 'fail' | 'error' | 'skip';

/** One case on one backend. */
export interface CellResult {
  readonly caseId: string;
  readonly backend: string;
  readonly status: CellStatus;
  readonly metrics?: ErrorMetrics;
  /** Why it errored or was skipped. */
  readonly message?: string;
  readonly milliseconds?: number;
}

export interface BackendReport extends BackendDescriptor {
  readonly status: 'ran' | 'skipped';
  readonly reason?: string;
  readonly measuredPrecision?: PrecisionClass;
  readonly versions?: Readonly<Record<string, string>>;
}

export interface CaseReport {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly shape: readonly number[];
  readonly spec: SESpec;
}

/** The worst agreement between two backends on one case. */
export interface PairwiseResult {
  readonly caseId: string;
  readonly a: string;
  readonly b: string;
  readonly metrics: ErrorMetrics;
}

export interface SuiteReport {
  readonly date: string;
  readonly machine: Readonly<Record<string, string>>;
  readonly tolerances: readonly PrecisionTolerance[];
  readonly backends: readonly BackendReport[];
  readonly cases: readonly CaseReport[];
  readonly cells: readonly CellResult[];
  readonly pairwise: readonly PairwiseResult[];
  readonly passed: boolean;
}

import type { PrecisionClass, PrecisionTolerance, SESpec } from '@seblock/se-core';
import type { BackendDescriptor } from './backends/types.js';
import type { ErrorMetrics } from './compare/metrics.js';
import type { ToleranceBasis } from './compare/tolerance.js';

export type CellStatus = 'pass' | 'fail' | 'error' | 'skip';

/** One case on one backend. */
export interface CellResult {
  readonly caseId: string;
  readonly backend: string;
  /** The backend's variant that ran (its default unless a suite chose one). */
  readonly variant?: string;
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
  /** The named runs the backend offers (BackendRunner.variants); the first is the one reported. */
  readonly variants?: readonly string[];
}

export interface CaseReport {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly shape: readonly number[];
  readonly spec: SESpec;
  /** PyTorch's own float32 error on the case (float32 ULPs of max(|x|, |y|)), when recorded. */
  readonly torchFloat32Ulps?: number;
  /** The case's bound on a float32 backend (see conformanceTolerance). */
  readonly toleranceUlps: number;
  readonly toleranceBasis: ToleranceBasis;
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
  /** How a case's bound is made from the table below (one sentence, for people reading the report). */
  readonly toleranceRule: string;
  /** se-core's table: base ULPs and the factor applied to PyTorch's float32 error, per precision. */
  readonly tolerances: readonly PrecisionTolerance[];
  readonly backends: readonly BackendReport[];
  readonly cases: readonly CaseReport[];
  readonly cells: readonly CellResult[];
  readonly pairwise: readonly PairwiseResult[];
  readonly passed: boolean;
}

import type { PairAgreement, RankedClass } from 'demo-imagenet';

/** One backend on the page. */
export interface BackendState {
  readonly id: string;
  readonly label: string;
  status: 'waiting' | 'loading' | 'running' | 'done' | 'skipped' | 'failed';
  detail?: string;
  /** Why it was skipped or failed. */
  reason?: string;
  loadMs?: number;
  runMs?: number;
  top?: readonly (RankedClass & { name: string })[];
  logits?: readonly number[];
}

/** What the page did; published as `globalThis.__classify` for the end-to-end test. */
export interface ClassifyPageState {
  phase: 'download' | 'classifying' | 'done' | 'error';
  error?: string;
  checkpoint?: {
    url: string;
    bytes: number;
    seconds: number;
    architecture: string;
    numClasses: number;
    seeded: boolean;
  };
  image?: { name: string; format: string; width: number; height: number };
  backends: BackendState[];
  pairs: PairAgreement[];
  /** Images classified so far (on every backend). */
  rounds: number;
}

export function publish(state: ClassifyPageState): void {
  (globalThis as { __classify?: ClassifyPageState }).__classify = state;
  document.body.dataset.phase = state.phase;
  document.body.dataset.rounds = `${state.rounds}`;
}

// The error a call throws, for tests that look at its fields (fails when nothing is thrown).
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

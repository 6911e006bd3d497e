import {
  matchStateDict,
  type StateDictEntry,
  type StateDictInput,
} from '@seblock/se-core/networks';

// The matching policy (names, shapes, dtypes, values) is se-core's, shared with the TF.js
// adapter; these names stay exported here for this entry's users.
export type {
  ShapeMismatch,
  StateDictInput,
  StateDictProblems,
  StateDictTensor,
} from '@seblock/se-core/networks';

/**
 * Matches a state_dict to a network's schema one to one, by PyTorch name (se-core's
 * `matchStateDict`: every problem thrown together as one `SEStateDictError`), and returns the
 * float32 values of every float tensor (private copies: nothing returned aliases the input).
 */
export function checkStateDict(
  schema: readonly StateDictEntry[],
  input: StateDictInput,
  architecture: string,
): ReadonlyMap<string, Float32Array> {
  return matchStateDict(schema, input, architecture).floats;
}

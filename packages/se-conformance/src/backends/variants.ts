/**
 * The options of `variant` in a runner's table, or an error naming the variants there are
 * (a typo in a test must not silently run the default).
 */
export function variantOptions<T>(
  table: Readonly<Record<string, T>>,
  variant: string | undefined,
  backend: string,
): T {
  const name = variant ?? Object.keys(table)[0];
  const options = name === undefined ? undefined : table[name];
  if (options === undefined)
    throw new RangeError(
      `${backend} has no variant "${variant}"; it has: ${Object.keys(table).join(', ')}`,
    );
  return options;
}

/** The names of a non-empty variant table, first (the default) first. */
export function variantNames(table: Readonly<Record<string, unknown>>): [string, ...string[]] {
  const names = Object.keys(table);
  if (names.length === 0) throw new RangeError('a backend needs at least one variant');
  return names as [string, ...string[]];
}

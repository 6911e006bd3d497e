/** A short, printable excerpt of any value, for error messages (never the whole input). */
export function describeValue(value: unknown, maxLength = 60): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'number') text = Object.is(value, -0) ? '-0' : String(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (typeof value === 'function') text = 'a function';
  else if (ArrayBuffer.isView(value)) {
    text = `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`;
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** `[2, 3, 4]` style shape text. */
export function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

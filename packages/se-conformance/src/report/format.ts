// Number formatting shared by the terminal and HTML reports.

export function formatUlp(ulp: number): string {
  if (!Number.isFinite(ulp)) return '∞';
  if (ulp < 100) return ulp.toFixed(1);
  if (ulp < 10_000) return ulp.toFixed(0);
  return ulp.toExponential(1).replace('e+', 'e');
}

export function formatError(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  return value.toExponential(2);
}

// Terminal output (with the ANSI colours the demo uses) as an HTML page, to screenshot it.

/** xterm's 256-colour palette: 16 system colours, a 6×6×6 cube, 24 greys. */
export function xterm256(index: number): string {
  const system = [
    '#000000',
    '#cd3131',
    '#0dbc79',
    '#e5e510',
    '#2472c8',
    '#bc3fbc',
    '#11a8cd',
    '#e5e5e5',
    '#666666',
    '#f14c4c',
    '#23d18b',
    '#f5f543',
    '#3b8eea',
    '#d670d6',
    '#29b8db',
    '#ffffff',
  ];
  if (index < 16) return system[index] as string;
  if (index >= 232) {
    const v = 8 + (index - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = index - 16;
  const level = (n: number) => (n === 0 ? 0 : 55 + n * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Converts SGR sequences (bold, dim, 16 and 256 colours, reset) to spans; drops other escapes. */
export function ansiToHtml(text: string): string {
  let html = '';
  let style: Record<string, string> = {};
  let open = false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
  const pattern = /\x1b\[([0-9;]*)([A-Za-z])/g;
  let last = 0;
  const flush = (chunk: string) => {
    if (chunk) html += escapeHtml(chunk);
  };
  for (const match of text.matchAll(pattern)) {
    flush(text.slice(last, match.index));
    last = (match.index ?? 0) + match[0].length;
    if (match[2] !== 'm') continue;
    const codes = (match[1] || '0').split(';').map(Number);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code === 0) style = {};
      else if (code === 1) style['font-weight'] = 'bold';
      else if (code === 2) style.opacity = '0.6';
      else if (code >= 30 && code <= 37) style.color = xterm256(code - 30);
      else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
        style[code === 38 ? 'color' : 'background'] = xterm256(codes[i + 2] as number);
        i += 2;
      }
    }
    if (open) html += '</span>';
    const css = Object.entries(style)
      .map(([k, v]) => `${k}:${v}`)
      .join(';');
    open = css !== '';
    if (open) html += `<span style="${css}">`;
  }
  flush(text.slice(last));
  if (open) html += '</span>';
  return html;
}

/** A page that shows `text` as a dark terminal would. */
export function terminalPage(text: string, title: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #1e1e1e; }
.window { margin: 0; padding: 0; }
.bar { background: #333; color: #ccc; font: 12px system-ui, sans-serif; padding: 6px 12px; }
pre { margin: 0; padding: 10px 14px 14px; color: #d4d4d4; font: 13px/1.25 'DejaVu Sans Mono', monospace; white-space: pre; }
</style></head><body><div class="window"><div class="bar">${escapeHtml(title)}</div><pre>${ansiToHtml(text)}</pre></div></body></html>`;
}

import type { SuiteReport } from '../results.js';

/**
 * The report as one self-contained HTML file (inline CSS and script, no
 * network): a heatmap of cases × backends coloured by worst ULP distance; a
 * click on a cell opens its details. Readable offline.
 */
export function renderHtml(report: SuiteReport): string {
  // `<` escaped so no string in the data can close the script element.
  const data = JSON.stringify(report).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SE Blocks conformance — ${report.passed ? 'PASS' : 'FAIL'}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>SE Blocks conformance <span id="verdict"></span></h1>
  <p id="summary"></p>
</header>
<main>
  <section><h2>Cases × backends <small>worst error in float32 ULPs of max(|y|, |x|) against the expected output; beside each row PyTorch's own float32 error on the case and the bound made from it</small></h2>
    <div class="legend" id="legend"></div>
    <div class="scroll"><table id="matrix"></table></div>
  </section>
  <aside id="details"><p class="hint">Click a cell to see where its largest error is.</p></aside>
  <section><h2>Backends</h2><table id="backends"></table></section>
  <section><h2>Backend pairs <small>worst ULP distance between two backends over all cases</small></h2><div class="scroll"><table id="pairs"></table></div></section>
  <section><h2>Tolerances</h2><p id="tolerance-rule"></p><table id="tolerances"></table></section>
</main>
<script type="application/json" id="report-data">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f6f7f9; }
body { margin: 0; }
header { background: #1d2330; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; opacity: .85; font-size: 14px; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 16px; padding: 16px 24px; }
main > section { grid-column: 1; background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 2px #0002; }
aside { grid-column: 2; grid-row: 1 / span 4; align-self: start; position: sticky; top: 16px; background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 2px #0002; font-size: 13px; }
h2 { font-size: 16px; margin: 4px 0 10px; } h2 small { font-weight: normal; color: #667; font-size: 12px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 12px; }
th, td { padding: 4px 6px; text-align: left; border-bottom: 1px solid #eceef2; }
#matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); height: 175px; white-space: nowrap; }
#matrix td.cell { width: 46px; height: 24px; text-align: center; cursor: pointer; color: #fff; font-weight: 600; border: 2px solid #fff; border-radius: 4px; }
#matrix td.cell.selected { outline: 3px solid #1d2330; }
#matrix td.case { white-space: nowrap; font-family: ui-monospace, monospace; }
#matrix td.ref { text-align: right; font-family: ui-monospace, monospace; color: #445; white-space: nowrap; }
#matrix th.ref { vertical-align: bottom; font-weight: normal; color: #445; }
.pass { background: #1a7f37; } .fail { background: #cf222e; } .error { background: #6e1016; } .skip { background: #d0d4db; color: #556 !important; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; font-size: 13px; vertical-align: middle; }
.legend { display: flex; gap: 10px; align-items: center; font-size: 12px; margin-bottom: 8px; flex-wrap: wrap; }
.legend span.swatch { display: inline-block; width: 18px; height: 14px; border-radius: 3px; vertical-align: middle; margin-right: 4px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 10px; margin: 0; } dt { color: #667; } dd { margin: 0; font-family: ui-monospace, monospace; word-break: break-all; }
.hint { color: #667; }
code { font-size: 12px; }
`;

// Runs in the report page: builds the tables from the embedded JSON.
const SCRIPT = `
const report = JSON.parse(document.getElementById('report-data').textContent);
const el = (tag, attrs = {}, text) => { const e = document.createElement(tag); Object.assign(e, attrs); if (text !== undefined) e.textContent = text; return e; };
const fmtUlp = (u) => !isFinite(u) ? '∞' : u < 100 ? u.toFixed(1) : u < 10000 ? u.toFixed(0) : u.toExponential(1);
const fmtErr = (v) => v === 0 ? '0' : !isFinite(v) ? String(v) : v.toExponential(2);
// Green at 0 ULP, through yellow, to orange at the tolerance; failures are red.
function colour(cell) {
  if (cell.status !== 'pass') return '';
  const t = Math.min(1, Math.log2(1 + cell.metrics.worstUlp) / Math.log2(1 + cell.metrics.toleranceUlps));
  return 'hsl(' + (130 - 95 * t) + ', 62%, ' + (34 + 6 * t) + '%)';
}
document.getElementById('verdict').append(el('span', { className: 'badge ' + (report.passed ? 'pass' : 'fail') }, report.passed ? 'PASS' : 'FAIL'));
const ran = report.backends.filter((b) => b.status === 'ran');
document.getElementById('summary').textContent = report.cases.length + ' cases · ' + ran.length + ' backends ran · ' +
  (report.backends.length - ran.length) + ' skipped · ' + report.date + ' · ' + Object.entries(report.machine).map(([k, v]) => k + ' ' + v).join(' · ');
const legend = document.getElementById('legend');
for (const [label, cls, style] of [['0 ULP', 'pass', 'hsl(130,62%,34%)'], ['at tolerance', 'pass', 'hsl(35,62%,40%)'], ['out of tolerance', 'fail'], ['error', 'error'], ['skipped', 'skip']]) {
  const s = el('span', { className: 'swatch ' + cls }); if (style) s.style.background = style; const item = el('span'); item.append(s, label); legend.append(item);
}
const matrix = document.getElementById('matrix');
const head = el('tr'); head.append(el('th', {}, 'case'), el('th', { className: 'ref', title: "PyTorch's own float32 error on the case (its float32 forward against its float64 one), same unit as the cells" }, 'PyTorch f32'), el('th', { className: 'ref', title: "the case's bound: 4 + 2 × PyTorch's float32 error" }, 'tolerance'));
for (const b of report.backends) head.append(el('th', { className: 'col', title: b.description }, b.key));
matrix.append(head);
const details = document.getElementById('details');
let selected;
function show(cell, testCase, backend, td) {
  if (selected) selected.classList.remove('selected'); selected = td; td.classList.add('selected');
  details.replaceChildren(el('h2', {}, testCase.id + ' on ' + backend.key));
  const dl = el('dl');
  const add = (k, v) => { dl.append(el('dt', {}, k), el('dd', {}, v)); };
  add('status', cell.status);
  if (cell.metrics) {
    const m = cell.metrics;
    add('worst ULP (of max(|y|,|x|))', fmtUlp(m.worstUlp));
    add("PyTorch's float32 error", m.torchUlps === undefined ? 'not recorded' : fmtUlp(m.torchUlps) + ' ULP');
    add('tolerance', fmtUlp(m.toleranceUlps) + ' ULP (' + (m.toleranceBasis === 'pytorch-float32' ? '4 + 2 × PyTorch' : '4 + 2 × naive float32') + '; naive float32 loses ' + fmtUlp(m.naiveUlps) + ')');
    add('worst ULP of y alone', fmtUlp(m.worstStrictUlp)); add('max abs error', fmtErr(m.maxAbsError)); add('max rel error', fmtErr(m.maxRelError));
    add('out of tolerance', m.outOfTolerance + ' of ' + m.count);
    add('worst element', 'flat NCHW index ' + m.worst.index);
    add('got', String(m.worst.actual)); add('expected', String(m.worst.expected)); add('x there', String(m.worst.x));
  }
  if (cell.message) add('message', cell.message);
  if (cell.variant) add('variant', cell.variant);
  if (cell.milliseconds !== undefined) add('time', cell.milliseconds.toFixed(1) + ' ms');
  add('shape', '[' + testCase.shape.join(', ') + ']');
  const sp = testCase.spec;
  const gate = sp.gate.type === 'sigmoid' ? 'sigmoid' : 'hardsigmoid(α ' + +sp.gate.alpha.toFixed(6) + ', β ' + sp.gate.beta + ')';
  const ex = Object.entries(sp.excitation).filter(([k]) => k !== 'kind').map(([k, v]) => k + ' ' + v).join(', ');
  add('spec', 'C ' + sp.channels + ' · ' + sp.squeeze + ' · ' + sp.excitation.kind + ' (' + ex + ') · ' + gate + ' · gain ' + sp.gain);
  if (testCase.description) add('case', testCase.description);
  add('backend', backend.description + (backend.versions ? ' — ' + Object.entries(backend.versions).map(([k, v]) => k + ' ' + v).join(', ') : ''));
  details.append(dl);
}
for (const testCase of report.cases) {
  const tr = el('tr'); tr.append(el('td', { className: 'case', title: testCase.description || '' }, testCase.id),
    el('td', { className: 'ref torch' }, testCase.torchFloat32Ulps === undefined ? '–' : fmtUlp(testCase.torchFloat32Ulps)),
    el('td', { className: 'ref tolerance' }, fmtUlp(testCase.toleranceUlps)));
  for (const backend of report.backends) {
    const cell = report.cells.find((c) => c.caseId === testCase.id && c.backend === backend.key);
    const td = el('td', { className: 'cell ' + (cell ? cell.status : 'skip') });
    if (cell && cell.metrics) { td.textContent = fmtUlp(cell.metrics.worstUlp); td.style.background = colour(cell); }
    else td.textContent = cell && cell.status === 'error' ? '!' : '–';
    td.title = cell ? cell.status + (cell.metrics ? ': ' + fmtUlp(cell.metrics.worstUlp) + ' ULP of ' + fmtUlp(cell.metrics.toleranceUlps) + ' allowed (PyTorch float32 ' + (cell.metrics.torchUlps === undefined ? 'not recorded' : fmtUlp(cell.metrics.torchUlps)) + ')' : '') + (cell.message ? ': ' + cell.message : '') : 'no result';
    if (cell) td.addEventListener('click', () => show(cell, testCase, backend, td));
    tr.append(td);
  }
  matrix.append(tr);
}
const backends = document.getElementById('backends');
const bh = el('tr'); for (const h of ['backend', 'runtime', 'adapter', 'device', 'precision', 'status', 'versions / reason']) bh.append(el('th', {}, h)); backends.append(bh);
for (const b of report.backends) {
  const tr = el('tr');
  for (const v of [b.key, b.runtime, b.adapter, b.device, b.measuredPrecision || b.precision, b.status,
    b.status === 'ran' ? Object.entries(b.versions || {}).map(([k, v]) => k + ' ' + v).join(', ') : b.reason]) tr.append(el('td', {}, v || ''));
  backends.append(tr);
}
const pairs = document.getElementById('pairs');
const worst = new Map();
for (const p of report.pairwise) { for (const k of [p.a + '|' + p.b, p.b + '|' + p.a]) worst.set(k, Math.max(worst.get(k) || 0, p.metrics.worstUlp)); }
const ph = el('tr'); ph.append(el('th')); for (const b of ran) ph.append(el('th', {}, b.key)); pairs.append(ph);
for (const a of ran) { const tr = el('tr'); tr.append(el('th', {}, a.key)); for (const b of ran) tr.append(el('td', {}, a === b ? '·' : worst.has(a.key + '|' + b.key) ? fmtUlp(worst.get(a.key + '|' + b.key)) : '–')); pairs.append(tr); }
const tolerances = document.getElementById('tolerances');
document.getElementById('tolerance-rule').textContent = report.toleranceRule;
const th = el('tr'); for (const h of ['class', 'base ULPs', "+ × PyTorch's float32 error", 'why']) th.append(el('th', {}, h)); tolerances.append(th);
for (const t of report.tolerances) { const tr = el('tr'); for (const v of [t.precision, t.baseUlps, t.naiveFactor, t.reason]) tr.append(el('td', {}, String(v))); tolerances.append(tr); }
const first = matrix.querySelector('td.fail, td.error') || matrix.querySelector('td.cell.pass');
if (first) first.click();
`;

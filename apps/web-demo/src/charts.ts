const SVG = 'http://www.w3.org/2000/svg';

export interface BarChartOptions {
  readonly width: number;
  readonly height: number;
  /** The value range drawn; values outside are clipped. Includes 0 for a baseline. */
  readonly min: number;
  readonly max: number;
  readonly color: string;
  /** Text under each bar (e.g. digit classes); none by default. */
  readonly labels?: readonly string[];
  /** Bars to draw in `highlight` instead (e.g. the predicted class). */
  readonly highlight?: { readonly index: number; readonly color: string };
  readonly title: string;
}

function node<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, String(v));
  return element;
}

/** A bar chart as an SVG element: one bar per value, a zero line, a tooltip per bar. */
export function barChart(values: ArrayLike<number>, options: BarChartOptions): SVGSVGElement {
  const { width, height, min, max } = options;
  const labelHeight = options.labels ? 14 : 0;
  const plot = height - labelHeight;
  const svg = node('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    class: 'chart',
  });
  svg.append(node('title', {}));
  (svg.firstChild as SVGTitleElement).textContent = options.title;
  const y = (v: number) => plot - ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * plot;
  const step = width / values.length;
  const gap = Math.min(2, step * 0.2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const top = Math.min(y(v), y(0));
    const bar = node('rect', {
      x: i * step + gap / 2,
      y: top,
      width: step - gap,
      height: Math.max(1, Math.abs(y(v) - y(0))),
      fill: options.highlight?.index === i ? options.highlight.color : options.color,
      'data-value': v,
    });
    const tip = node('title', {});
    tip.textContent = `${options.labels?.[i] ?? `channel ${i}`}: ${v.toFixed(4)}`;
    bar.append(tip);
    svg.append(bar);
    if (options.labels) {
      const text = node('text', {
        x: i * step + step / 2,
        y: height - 2,
        'text-anchor': 'middle',
        class: 'label',
      });
      text.textContent = options.labels[i] ?? '';
      svg.append(text);
    }
  }
  svg.append(node('line', { x1: 0, x2: width, y1: y(0), y2: y(0), class: 'axis' }));
  return svg;
}

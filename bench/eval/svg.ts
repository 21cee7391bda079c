/**
 * Small SVG chart writers (histogram, heatmap, line chart) for the evaluation report: plain strings,
 * no browser or canvas. Every text node is XML-escaped; non-finite numbers are rejected with an error.
 */

const FONT = 'font-family="system-ui, sans-serif"';

export function xmlEscape(text: string): string {
  return String(text).replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(n < 1 ? 2 : 1);

function checkFinite(values: readonly number[], what: string): void {
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`${what}: values must be finite numbers`);
}

function frame(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xmlEscape(title)}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold" ${FONT}>${xmlEscape(title)}</text>` +
    body +
    '</svg>\n'
  );
}

export interface HistogramOptions {
  title: string;
  xLabel: string;
  bins?: number;
  width?: number;
  height?: number;
  /** Values above this percentile go into the last bin (keeps a long tail from flattening the chart). */
  clipPercentile?: number;
}

/** Equal-width bins from min to max (or the clip percentile); returns bin edges and counts. */
export function binValues(
  values: readonly number[],
  bins: number,
  clipPercentile = 100,
): { edges: number[]; counts: number[] } {
  if (!Number.isInteger(bins) || bins < 1) throw new Error('bins must be a positive integer');
  checkFinite(values, 'histogram');
  if (!values.length) return { edges: [0, 1], counts: [0] };
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0]!;
  const max = sorted[Math.max(0, Math.ceil((clipPercentile / 100) * sorted.length) - 1)]!;
  const width = max > min ? (max - min) / bins : 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - min) / width)))]!++;
  return { edges, counts };
}

export function histogramSvg(values: readonly number[], opts: HistogramOptions): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 320;
  const { edges, counts } = binValues(values, opts.bins ?? 30, opts.clipPercentile ?? 100);
  const left = 50;
  const bottom = height - 45;
  const plotW = width - left - 20;
  const plotH = bottom - 35;
  const maxCount = Math.max(1, ...counts);
  const barW = plotW / counts.length;
  const bars = counts
    .map((c, i) => {
      const h = (c / maxCount) * plotH;
      return `<rect class="bar" x="${(left + i * barW).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${Math.max(0.5, barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#4472c4"><title>${fmt(edges[i]!)}–${fmt(edges[i + 1]!)}: ${c}</title></rect>`;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const x = left + f * plotW;
      const v = edges[0]! + f * (edges[edges.length - 1]! - edges[0]!);
      return `<text x="${x.toFixed(1)}" y="${bottom + 15}" text-anchor="middle" font-size="10" ${FONT}>${fmt(v)}</text>`;
    })
    .join('');
  const axes =
    `<line x1="${left}" y1="${bottom}" x2="${left + plotW}" y2="${bottom}" stroke="#333"/>` +
    `<line x1="${left}" y1="${bottom}" x2="${left}" y2="${bottom - plotH}" stroke="#333"/>` +
    `<text x="${left - 5}" y="${bottom - plotH + 4}" text-anchor="end" font-size="10" ${FONT}>${maxCount}</text>` +
    `<text x="${left - 5}" y="${bottom}" text-anchor="end" font-size="10" ${FONT}>0</text>` +
    `<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle" font-size="11" ${FONT}>${xmlEscape(opts.xLabel)}</text>`;
  return frame(width, height, opts.title, bars + ticks + axes);
}

export interface HeatmapOptions {
  title: string;
  cell?: number;
}

/** Confusion heatmap: rows are gold labels, columns predictions; colour is the row-normalised share, the number the count. */
export function heatmapSvg(
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
  opts: HeatmapOptions,
): string {
  if (matrix.length !== labels.length || matrix.some((row) => row.length !== labels.length)) {
    throw new Error('heatmap: matrix must be square with one row and column per label');
  }
  matrix.forEach((row) => checkFinite(row, 'heatmap'));
  const cell = opts.cell ?? 34;
  const labelW = 8 + Math.max(4, ...labels.map((l) => l.length)) * 6.5;
  const top = 40 + labelW;
  const width = labelW + cell * labels.length + 20;
  const height = top + cell * labels.length + 20;
  const cells = matrix
    .map((row, i) => {
      const total = row.reduce((a, b) => a + b, 0);
      return row
        .map((count, j) => {
          const share = total ? count / total : 0;
          // Diagonal in blue, confusions in red, so mistakes stand out.
          const hue = i === j ? '68,114,196' : '204,51,51';
          const x = labelW + j * cell;
          const y = top + i * cell;
          const text = count
            ? `<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" font-size="11" fill="${share > 0.5 ? '#fff' : '#000'}" ${FONT}>${count}</text>`
            : '';
          return `<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgba(${hue},${(0.08 + 0.92 * share).toFixed(3)})" stroke="#ddd"><title>${xmlEscape(labels[i]!)} → ${xmlEscape(labels[j]!)}: ${count}</title></rect>${text}`;
        })
        .join('');
    })
    .join('');
  const rowLabels = labels
    .map(
      (l, i) =>
        `<text x="${labelW - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="11" ${FONT}>${xmlEscape(l)}</text>`,
    )
    .join('');
  const colLabels = labels
    .map((l, j) => {
      const x = labelW + j * cell + cell / 2 + 4;
      return `<text x="${x}" y="${top - 6}" transform="rotate(-60 ${x} ${top - 6})" font-size="11" ${FONT}>${xmlEscape(l)}</text>`;
    })
    .join('');
  const axisNames = `<text x="8" y="${top - 8}" font-size="10" fill="#555" ${FONT}>gold ↓ / predicted →</text>`;
  return frame(width, height, opts.title, cells + rowLabels + colLabels + axisNames);
}

export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
}

const COLORS = ['#4472c4', '#ed7d31', '#70ad47', '#7030a0', '#c00000'];

export function lineChartSvg(series: readonly Series[], opts: LineChartOptions): string {
  const points = series.flatMap((s) => s.points);
  if (!points.length) throw new Error('line chart: no points');
  checkFinite(
    points.flatMap((p) => [p.x, p.y]),
    'line chart',
  );
  if (opts.logX && points.some((p) => p.x <= 0)) throw new Error('line chart: log x axis needs x > 0');
  const width = opts.width ?? 640;
  const height = opts.height ?? 320;
  const left = 55;
  const bottom = height - 45;
  const plotW = width - left - 140;
  const plotH = bottom - 35;
  const tx = (x: number) => (opts.logX ? Math.log10(x) : x);
  const xs = points.map((p) => tx(p.x));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const y0 = opts.yMin ?? Math.min(...points.map((p) => p.y));
  const y1 = opts.yMax ?? Math.max(...points.map((p) => p.y));
  const px = (x: number) => left + (x1 > x0 ? ((tx(x) - x0) / (x1 - x0)) * plotW : plotW / 2);
  const py = (y: number) => bottom - (y1 > y0 ? ((y - y0) / (y1 - y0)) * plotH : plotH / 2);
  const lines = series
    .map((s, i) => {
      const color = COLORS[i % COLORS.length];
      const d = s.points
        .map((p, k) => `${k ? 'L' : 'M'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`)
        .join(' ');
      const dots = s.points
        .map(
          (p) =>
            `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${color}"><title>${xmlEscape(s.name)} @ ${fmt(p.x)}: ${fmt(p.y)}</title></circle>`,
        )
        .join('');
      const legend = `<text x="${left + plotW + 12}" y="${45 + i * 16}" font-size="11" fill="${color}" ${FONT}>${xmlEscape(s.name)}</text>`;
      return `<path class="series" d="${d}" fill="none" stroke="${color}" stroke-width="2"/>${dots}${legend}`;
    })
    .join('');
  const xTicks = [...new Set(points.map((p) => p.x))]
    .sort((a, b) => a - b)
    .map(
      (x) =>
        `<text x="${px(x).toFixed(1)}" y="${bottom + 15}" text-anchor="middle" font-size="10" ${FONT}>${fmt(x)}</text>`,
    )
    .join('');
  const yTicks = [0, 0.5, 1]
    .map((f) => {
      const v = y0 + f * (y1 - y0);
      return `<text x="${left - 5}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end" font-size="10" ${FONT}>${fmt(v)}</text>`;
    })
    .join('');
  const axes =
    `<line x1="${left}" y1="${bottom}" x2="${left + plotW}" y2="${bottom}" stroke="#333"/>` +
    `<line x1="${left}" y1="${bottom}" x2="${left}" y2="${bottom - plotH}" stroke="#333"/>` +
    `<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle" font-size="11" ${FONT}>${xmlEscape(opts.xLabel)}${opts.logX ? ' (log scale)' : ''}</text>` +
    `<text x="14" y="${bottom - plotH / 2}" transform="rotate(-90 14 ${bottom - plotH / 2})" text-anchor="middle" font-size="11" ${FONT}>${xmlEscape(opts.yLabel)}</text>`;
  return frame(width, height, opts.title, lines + xTicks + yTicks + axes);
}

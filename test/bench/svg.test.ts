import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { binValues, heatmapSvg, histogramSvg, lineChartSvg } from '../../bench/eval/svg';

function parse(svg: string) {
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
  expect(doc.svg.xmlns).toBe('http://www.w3.org/2000/svg');
  expect(doc.svg.viewBox).toMatch(/^0 0 \d+(\.\d+)? \d+(\.\d+)?$/);
  return doc.svg;
}

const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

describe('SVG chart writers', () => {
  it('bins values into equal-width bins', () => {
    expect(binValues([0, 1, 2, 3, 4, 10], 2)).toEqual({ edges: [0, 5, 10], counts: [5, 1] });
    expect(() => binValues([1, NaN], 2)).toThrow(/finite/);
  });

  it('histogram is valid SVG with one bar per bin, tallest bar for the fullest bin', () => {
    const svg = parse(
      histogramSvg([1, 1, 1, 2, 9], { title: 'Turn latency <c16> & more', xLabel: 'ms', bins: 4 }),
    );
    const bars = asArray(svg.rect).filter((r: Record<string, string>) => r.class === 'bar');
    expect(bars).toHaveLength(4);
    const heights = bars.map((b: Record<string, string>) => Number(b.height));
    expect(heights.indexOf(Math.max(...heights))).toBe(0);
    expect(JSON.stringify(svg.text)).toContain('Turn latency <c16> & more');
  });

  it('heatmap has labels² cells and escapes label text', () => {
    const svg = parse(
      heatmapSvg(
        ['a<b', 'c'],
        [
          [3, 1],
          [0, 2],
        ],
        { title: 'confusion' },
      ),
    );
    expect(asArray(svg.rect).filter((r: Record<string, string>) => r.class === 'cell')).toHaveLength(4);
    expect(() => heatmapSvg(['a'], [[1, 2]], { title: 'x' })).toThrow(/square/);
  });

  it('line chart draws one path per series and rejects log scale with x ≤ 0', () => {
    const series = [
      {
        name: 'recall',
        points: [
          { x: 1, y: 0.2 },
          { x: 10, y: 0.7 },
          { x: 100, y: 0.9 },
        ],
      },
      {
        name: 'other',
        points: [
          { x: 1, y: 0.1 },
          { x: 100, y: 0.5 },
        ],
      },
    ];
    const svg = parse(
      lineChartSvg(series, { title: 't', xLabel: 'k', yLabel: 'recall', logX: true, yMin: 0, yMax: 1 }),
    );
    expect(asArray(svg.path)).toHaveLength(2);
    expect(() =>
      lineChartSvg([{ name: 'x', points: [{ x: 0, y: 1 }] }], {
        title: 't',
        xLabel: 'k',
        yLabel: 'y',
        logX: true,
      }),
    ).toThrow(/log/);
    expect(() => lineChartSvg([], { title: 't', xLabel: 'k', yLabel: 'y' })).toThrow(/no points/);
  });
});

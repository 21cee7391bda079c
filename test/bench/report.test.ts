import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../bench/eval/report';

describe('eval report page', () => {
  const markdown = [
    '# Evaluation report',
    '',
    '## Headline',
    '',
    '| metric | value |',
    '|---|---|',
    '| citation correct | 97.0 % |',
    '',
    '## Answer quality',
    '',
    'Worst answer to <script>alert(1)</script>',
    '',
    '## Charts',
    '',
    '![Turn latency](turn-latency.svg)',
    '',
  ].join('\n');
  const html = renderHtml(markdown, [
    { title: 'Turn latency', file: 'turn-latency.svg', svg: '<svg id="latency"></svg>' },
  ]);

  it('renders the Markdown as HTML, headline table first', () => {
    expect(html).toContain('<h2>Headline</h2>');
    expect(html).toMatch(/<table>[\s\S]*<td>citation correct<\/td>[\s\S]*<td>97.0 %<\/td>/);
    expect(html).not.toContain('<pre>');
    expect(html.indexOf('Headline')).toBeLessThan(html.indexOf('Answer quality'));
  });

  it('inlines each chart of this run in place of its image, and shows raw HTML as text', () => {
    expect(html).toMatch(/<figure><svg id="latency"><\/svg><figcaption>Turn latency<\/figcaption><\/figure>/);
    expect(html).not.toContain('src="turn-latency.svg"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

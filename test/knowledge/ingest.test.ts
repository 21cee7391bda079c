import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkSections, EmbeddedKnowledgeSearch, ingestFolder, type KnowledgeHit } from '../../src/knowledge';
import { countTokens } from '../../src/text/tokens';
import { SAMPLE_GROUPS } from '../helpers/sampleGroups';

const { hr: HR, legal: LEGAL, support: SUPPORT } = SAMPLE_GROUPS;

// Captured before anything in this file parses a PDF.
const NATIVE_PUSH = Array.prototype.push;
const NATIVE_JSON_PARSE = JSON.parse;

const SAMPLE = join(__dirname, '..', '..', 'data', 'knowledge');
let root: string;
let kb: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kb-ingest-'));
  kb = join(root, 'kb');
  await cp(SAMPLE, kb, { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function all(
  search: EmbeddedKnowledgeSearch,
  query: string,
  groups: string[],
): Promise<KnowledgeHit[]> {
  return search.search(query, { groups, top: 50 });
}

describe('ingestFolder on the sample knowledge base', () => {
  const search = new EmbeddedKnowledgeSearch({ indexPath: null });

  it('indexes Markdown, text, HTML, PDF and DOCX with titles, heading paths, pages and groups', async () => {
    const summary = await ingestFolder(kb, search, { sourceRoot: root });
    expect(summary.failed).toEqual([]);
    expect(summary.added).toHaveLength(11);
    expect(summary.added).toContain('kb/hr/employee-handbook.pdf');

    const pdf = await all(search, 'parental leave sixteen weeks birth adoption', [HR]);
    const parental = pdf.find((h) => h.content.includes('16 weeks of fully paid parental leave'))!;
    expect(parental).toMatchObject({
      source: 'kb/hr/employee-handbook.pdf',
      page: 3,
      title: 'Employee handbook',
      groups: [HR],
    });

    const docx = (await all(search, 'supplier liability capped', [LEGAL]))[0]!;
    expect(docx).toMatchObject({
      source: 'kb/legal/contract-templates.docx',
      title: 'Contract templates',
      headingPath: ['Supplier agreement'],
      groups: [LEGAL],
    });

    const html = (await all(search, 'reset password self-service portal', []))[0]!;
    expect(html).toMatchObject({
      source: 'kb/it-support/it-support-guide.html',
      title: 'IT support guide for employees',
    });
    expect(html.headingPath).toEqual(['Passwords and sign-in', 'Resetting your password']);
    expect(html.content).not.toMatch(/Intranet home/); // <nav> skipped

    const md = (await all(search, 'card refunds statement business days', []))[0]!;
    expect(md).toMatchObject({
      source: 'kb/customer-service/returns-and-refunds.md',
      headingPath: ['Refund timing'],
      groups: ['everyone'],
    });
    expect(md.url).toBe('https://support.contoso-outfitters.example/returns');

    const nda = (await all(search, 'NDA confidentiality period trade secrets', [LEGAL]))[0]!;
    expect(nda).toMatchObject({ source: 'kb/legal/nda-guidelines.md', groups: [LEGAL] }); // front matter groups
    expect(await all(search, 'NDA confidentiality period trade secrets', [])).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ source: 'kb/legal/nda-guidelines.md' })]),
    );

    const txt = (await all(search, 'phone support hours Saturday', []))[0]!;
    expect(txt).toMatchObject({
      source: 'kb/customer-service/store-hours-and-contact.txt',
      title: 'Contacting customer service',
    });
  });

  it('parses PDFs without leaving pdfjs polyfills in this isolate', () => {
    // pdfjs' legacy build replaces Array.prototype.push and JSON.parse with core-js versions in the
    // isolate that loads it; the parser runs it on a worker so the bot's isolate keeps the natives.
    // (core-js makes its functions print as native code, so compare identities.)
    expect(Array.prototype.push).toBe(NATIVE_PUSH);
    expect(JSON.parse).toBe(NATIVE_JSON_PARSE);
  });

  it('skips unchanged files on re-ingest', async () => {
    const summary = await ingestFolder(kb, search, { sourceRoot: root });
    expect(summary.unchanged).toHaveLength(11);
    expect(summary.added).toEqual([]);
    expect(summary.updated).toEqual([]);
    expect(summary.chunksWritten).toBe(0);
  });

  it('re-indexes a changed file and drops its old text', async () => {
    const file = join(kb, 'customer-service', 'shipping.md');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace(
        'Express | 1 to 2 business days | 14.95 USD',
        'Express | 1 to 2 business days | 16.50 USD',
      ),
    );
    const summary = await ingestFolder(kb, search, { sourceRoot: root });
    expect(summary.updated).toEqual(['kb/customer-service/shipping.md']);
    expect(summary.unchanged).toHaveLength(10);
    const hits = await all(search, 'express shipping cost', []);
    expect(hits.some((h) => h.content.includes('16.50 USD'))).toBe(true);
    expect(hits.some((h) => h.content.includes('14.95 USD'))).toBe(false);
  });

  it('re-indexes a file whose sidecar groups changed', async () => {
    await writeFile(join(kb, 'customer-service', 'warranty.pdf.meta.json'), `{ "groups": ["${SUPPORT}"] }`);
    const summary = await ingestFolder(kb, search, { sourceRoot: root });
    expect(summary.updated).toEqual(['kb/customer-service/warranty.pdf']);
    expect((await all(search, 'warranty claim', [])).some((h) => h.source.endsWith('warranty.pdf'))).toBe(
      false,
    );
    expect(
      (await all(search, 'warranty claim', [SUPPORT])).some((h) => h.source.endsWith('warranty.pdf')),
    ).toBe(true);
  });

  it('refuses a document whose groups are names, not object ids (not indexed, listed as failed)', async () => {
    await writeFile(join(kb, 'customer-service', 'warranty.pdf.meta.json'), '{ "groups": ["HR"] }');
    const summary = await ingestFolder(kb, search, { sourceRoot: root });
    expect(summary.failed).toEqual([
      {
        source: 'kb/customer-service/warranty.pdf',
        error: expect.stringMatching(/group "hr" is not an Entra group object id/),
      },
    ]);
    // Its earlier chunks (group SUPPORT) are untouched: a refused update changes nothing.
    expect((await all(search, 'warranty claim', ['hr'])).some((h) => h.source.endsWith('warranty.pdf'))).toBe(
      false,
    );
    await writeFile(join(kb, 'customer-service', 'warranty.pdf.meta.json'), `{ "groups": ["${SUPPORT}"] }`);
  });

  it('removes chunks of deleted files only with deleteMissing', async () => {
    await unlink(join(kb, 'it-support', 'it-support-guide.html'));
    const kept = await ingestFolder(kb, search, { sourceRoot: root });
    expect(kept.deleted).toEqual([]);
    expect((await all(search, 'VPN certificate expired', [])).length).toBeGreaterThan(0);
    const removed = await ingestFolder(kb, search, { sourceRoot: root, deleteMissing: true });
    expect(removed.deleted).toEqual(['kb/it-support/it-support-guide.html']);
    expect(await all(search, 'VPN certificate expired', [])).toEqual([]);
    expect((await search.listSources()).map((s) => s.source)).not.toContain(
      'kb/it-support/it-support-guide.html',
    );
  });

  it('reports a corrupt PDF and a bad sidecar, and continues with the rest', async () => {
    await writeFile(join(kb, 'customer-service', 'broken.pdf'), '%PDF-1.7\nthis is not really a pdf\n%%EOF');
    await writeFile(
      join(kb, 'customer-service', 'new-faq.md'),
      '# Gift wrapping\n\nGift wrapping costs 4.95 USD per item.',
    );
    await writeFile(join(kb, 'customer-service', 'bad.txt'), 'some text');
    await writeFile(join(kb, 'customer-service', 'bad.txt.meta.json'), '{ groups: nope');
    const progress: string[] = [];
    const summary = await ingestFolder(kb, search, {
      sourceRoot: root,
      onProgress: (p) => progress.push(`${p.done}/${p.total}`),
    });
    expect(summary.failed.map((f) => f.source).sort()).toEqual([
      'kb/customer-service/bad.txt',
      'kb/customer-service/broken.pdf',
    ]);
    expect(summary.failed.find((f) => f.source.endsWith('broken.pdf'))!.error).toMatch(/cannot parse/);
    expect(summary.added).toEqual(['kb/customer-service/new-faq.md']);
    expect(progress.at(-1)).toBe(`${summary.scanned}/${summary.scanned}`);
    expect((await all(search, 'gift wrapping cost', []))[0]!.headingPath).toEqual([]);
  });
});

describe('chunkSections', () => {
  const para = (n: number) =>
    `Sentence number ${n} talks about returns, refunds and the shipping of parcels across the country.`;
  const text = Array.from({ length: 60 }, (_, i) => para(i)).join(' ');

  it('keeps chunks within the token limit and overlaps consecutive chunks', () => {
    const chunks = chunkSections([{ headingPath: ['A'], page: 4, text }], {
      chunkTokens: 100,
      overlapTokens: 30,
    });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(countTokens(c.text)).toBeLessThanOrEqual(100);
      expect(c).toMatchObject({ headingPath: ['A'], page: 4 });
    }
    for (let i = 1; i < chunks.length; i++) {
      const lastOfPrev = chunks[i - 1]!.text.split('\n\n')
        .at(-1)!
        .split(/(?<=\.) /)
        .at(-1)!;
      expect(chunks[i]!.text.startsWith(lastOfPrev)).toBe(true);
    }
  });

  it('splits an over-long sentence by tokens and rejects bad settings', () => {
    const long = 'word '.repeat(500);
    const chunks = chunkSections([{ headingPath: [], text: long }], { chunkTokens: 64, overlapTokens: 0 });
    expect(chunks.every((c) => c.tokens <= 64)).toBe(true);
    expect(chunks.length).toBeGreaterThanOrEqual(8);
    expect(() => chunkSections([], { chunkTokens: 64, overlapTokens: 40 })).toThrow(/overlapTokens/);
    expect(() => chunkSections([], { chunkTokens: 3 })).toThrow(/chunkTokens/);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerExtractively,
  EmbeddedKnowledgeSearch,
  ensureSampleKnowledgeIndexed,
  ingestFolder,
  SAMPLE_KNOWLEDGE_DIR,
  type KnowledgeHit,
} from '../../src/knowledge';
import { preferLanguage } from '../../src/knowledge/preferLanguage';
import { analyze } from '../../src/knowledge/textAnalysis';
import { detectLanguage, languageOfLocale } from '../../src/text/language';

const RETURNS_ZH = 'data/knowledge/customer-service/returns-and-refunds.zh-CN.md';
const SHIPPING_ZH = 'data/knowledge/customer-service/shipping.zh-CN.md';
const CONTACT_ZH = 'data/knowledge/customer-service/store-hours-and-contact.zh-CN.txt';

const search = new EmbeddedKnowledgeSearch({ indexPath: null });

beforeAll(async () => {
  const summary = await ingestFolder(SAMPLE_KNOWLEDGE_DIR, search, {
    sourceRoot: join(SAMPLE_KNOWLEDGE_DIR, '..', '..'),
  });
  expect(summary.failed).toEqual([]);
});

describe('language of a text', () => {
  it('is the language it is written in, whatever the locale', () => {
    expect(detectLanguage('我的订单在哪里？')).toBe('zh-CN');
    expect(detectLanguage('ORD-10388 的退货进度怎么样')).toBe('zh-CN');
    expect(detectLanguage('Where is my order?')).toBe('en');
    expect(detectLanguage('Can I return the 耳机?')).toBe('en');
    expect(detectLanguage('ORD-10388', 'zh-CN')).toBe('en'); // letters, none Chinese
    expect(detectLanguage('10388?', 'zh-CN')).toBe('zh-CN'); // no letters: the fallback
    expect(languageOfLocale('zh-Hans-CN')).toBe('zh-CN');
    expect(languageOfLocale('en-GB')).toBe('en');
    expect(languageOfLocale('de-DE')).toBeUndefined();
  });
});

describe('Chinese analysis', () => {
  it('segments Chinese into words and bigrams, so differently segmented text still matches', () => {
    const doc = new Set(analyze('未使用的商品可在签收后 30 天内退货'));
    const question = analyze('退货期限是多久');
    expect(question).toContain('退货');
    expect(question.some((t) => doc.has(t))).toBe(true);
    // Function words are not terms.
    expect(analyze('我的了吗')).toEqual([]);
    // English is analysed as before.
    expect(analyze('Returns are refunded')).toEqual(['return', 'refund']);
  });

  it('keeps a word the segmenter does not know (退货: 退 + 货) when bigrams are left out', () => {
    // ICU's dictionary splits 退货 into two single characters; a question analysed without
    // bigrams (the answer step) still needs it as a term.
    expect(analyze('怎么退货?', undefined, { bigrams: false })).toContain('退货');
    expect(analyze('退货政策是什么?', undefined, { bigrams: false })).toEqual(
      expect.arrayContaining(['退货', '政策']),
    );
  });

  it('gives the three names of a weekday (星期天, 礼拜天, 周日) the same terms', () => {
    const doc = analyze('周日电话客服不提供服务');
    for (const asked of ['星期天能打电话吗', '礼拜天能打电话吗', '星期日能打电话吗', '周天能打电话吗'])
      expect(analyze(asked), asked).toContain('周日');
    expect(doc).toContain('周日');
    expect(analyze('星期六')).toEqual(analyze('周六'));
  });
});

describe('Chinese knowledge (embedded index)', () => {
  it.each([
    ['国际运费多少钱？', SHIPPING_ZH, '19.95 美元', '配送和运输'],
    ['退款多久到账', RETURNS_ZH, '24 小时内到账', '退货和退款政策'],
    ['包裹丢了怎么办', SHIPPING_ZH, '免费补发', '配送和运输'],
  ])('answers %s from the Chinese document, with a citation', async (question, source, fact, title) => {
    const hits = await search.search(question, { groups: [], top: 5, language: 'zh-CN' });
    expect(hits[0]).toMatchObject({ source, language: 'zh-CN' });
    const answer = answerExtractively(question, hits);
    if ('notFound' in answer) throw new Error('expected an answer');
    expect(answer.text).toContain(fact);
    expect(answer.citations[0]).toMatchObject({ source, title });
  });

  it('refuses a Chinese question the documents do not answer', async () => {
    const question = '你们卖汽车轮胎吗';
    const answer = answerExtractively(question, await search.search(question, { groups: [], top: 5 }));
    expect('notFound' in answer).toBe(true);
  });

  it.each([
    ['国际配送要多久', SHIPPING_ZH],
    ['客服电话是多少', CONTACT_ZH],
    ['周日门店几点开门', CONTACT_ZH],
    ['快递丢了怎么办', SHIPPING_ZH],
  ])('finds %s in %s', async (question, source) => {
    const hits = await search.search(question, { groups: [], top: 3, language: 'zh-CN' });
    expect(hits.map((h) => h.source)).toContain(source);
  });

  it('keeps English questions on English documents', async () => {
    const hits = await search.search('How long is the return window?', {
      groups: [],
      top: 3,
      language: 'en',
    });
    expect(hits[0]!.source).toBe('data/knowledge/customer-service/returns-and-refunds.md');
    expect(hits.every((h) => h.language === 'en')).toBe(true);
  });

  it('puts hits in the asker’s language first and keeps the others after them', () => {
    const hit = (id: string, language?: string) =>
      ({
        id,
        content: '',
        title: '',
        headingPath: [],
        source: id,
        groups: [],
        score: 1,
        language,
      }) as KnowledgeHit;
    const ranked = [hit('a', 'en'), hit('b', 'zh-CN'), hit('c'), hit('d', 'zh-CN')];
    expect(preferLanguage([...ranked], 'zh-CN').map((h) => h.id)).toEqual(['b', 'd', 'a', 'c']);
    expect(preferLanguage([...ranked], undefined).map((h) => h.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('index written by an older analyzer', () => {
  let dir: string;
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('is rebuilt at start, so Chinese documents become searchable', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-old-'));
    const indexPath = join(dir, 'index.json');
    await writeFile(indexPath, JSON.stringify({ version: 1, chunks: [], index: {} }));
    const summary = await ensureSampleKnowledgeIndexed(indexPath);
    expect(summary?.added).toContain(RETURNS_ZH);
    const rebuilt = new EmbeddedKnowledgeSearch({ indexPath });
    try {
      const hits = await rebuilt.search('怎么退货', { groups: [], top: 3 });
      expect(hits[0]?.language).toBe('zh-CN');
    } finally {
      await rebuilt.close();
    }
    expect(await ensureSampleKnowledgeIndexed(indexPath)).toBeUndefined(); // current now: nothing to do
  });
});

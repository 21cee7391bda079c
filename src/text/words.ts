import porter2 from 'wink-porter2-stemmer';

/**
 * The one word tokeniser and the one stemmer (knowledge search, the intent model's word features,
 * the extractive summary). Words are runs of letters and digits that keep inner apostrophes and dots
 * (don't, e.g, 1.5) as UAX#29 does; Chinese text, which has no spaces, is split into words by ICU's
 * dictionary segmenter (`Intl.Segmenter`) plus, by default, overlapping character bigrams (as
 * Lucene's CJK analyzer does), so a question segmented differently from a document still matches.
 */

/** Chinese particles, pronouns and question words that carry no topic (a deliberately short list). */
export const CHINESE_STOP_WORDS: ReadonlySet<string> = new Set(
  '的 了 吗 呢 吧 啊 呀 是 在 和 与 及 或 也 都 就 还 我 你 您 他 她 它 我的 你的 我们 你们 他们 这 那 这个 那个 有 什么 怎么 怎样 如何 哪 哪里 吗 能 可以 要 想 请 一个 一下'.split(
    ' ',
  ),
);

const WORD = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;
export const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const zhWords = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Splits text into raw word tokens (no lower-casing or stemming). `bigrams: false` leaves out the
 * Chinese character bigrams (dictionary words only).
 */
export function tokenizeWords(text: string, opts: { bigrams?: boolean } = {}): string[] {
  if (!HAN.test(text)) return text.match(WORD) ?? [];
  const tokens = sameWeekdayNames(text).match(WORD) ?? [];
  return tokens.flatMap((token) => (HAN.test(token) ? chineseTokens(token, opts.bigrams ?? true) : [token]));
}

const WEEKDAY_NUMBERS: Record<string, string> = { 天: '日', 日: '日' };
/**
 * Chinese has three everyday names for each weekday (星期天, 礼拜天, 周日): documents tend to write
 * 周X, people type all three; one form for all makes them the same term.
 */
function sameWeekdayNames(text: string): string {
  return text
    .replace(/(?:星期|礼拜)([一二三四五六日天])/gu, (_m, d: string) => `周${WEEKDAY_NUMBERS[d] ?? d}`)
    .replace(/周天/gu, '周日');
}

/**
 * Characters that make a device or part noun of the word before them: ICU's dictionary splits
 * 显示器 (monitor) into 显示 (show) + 器, 打印机 into 打印 + 机, so "我的显示器坏了" matched
 * "追踪信息…才会显示" (tracking shows …). Such a word and its suffix are one term.
 */
export const NOUN_SUFFIX: ReadonlySet<string> = new Set('器机仪屏盘卡线板箱灯'.split(''));

/** ICU's segments with a word of two or more Han characters and a following NOUN_SUFFIX joined. */
function compoundNouns(segments: Iterable<Intl.SegmentData>): { segment: string; isWordLike: boolean }[] {
  const out: { segment: string; isWordLike: boolean; joined?: boolean }[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    // One suffix per word: 打印机卡纸 is 打印机 + 卡 + 纸, not 打印机卡.
    const joins =
      s.isWordLike &&
      NOUN_SUFFIX.has(s.segment) &&
      last?.isWordLike === true &&
      !last.joined &&
      [...last.segment].length >= 2 &&
      /^\p{Script=Han}+$/u.test(last.segment);
    if (joins) {
      last.segment += s.segment;
      last.joined = true;
    } else out.push({ segment: s.segment, isWordLike: s.isWordLike === true });
  }
  return out;
}

/** Dictionary words of a token that contains Chinese, then the character bigrams of its Chinese runs. */
function chineseTokens(token: string, bigrams: boolean): string[] {
  const out: string[] = [];
  const runs = token.match(HAN_RUN) ?? [];
  // Single characters only where the text has nothing longer (a one-character question such as 鞋);
  // otherwise the bigrams cover them and single characters would match almost everything.
  const singlesCount = runs.every((r) => [...r].length < 2);
  // Exactly two characters the dictionary left single between words (退 货: ICU's dictionary lacks
  // 退货) are a word it does not know: without bigrams, the pair stands for it. Longer runs of
  // singles (找 客 服 吗) are left alone: their pairs would be mostly non-words.
  let singles: string[] = [];
  const flushSingles = () => {
    const [a, b] = singles;
    if (!bigrams && singles.length === 2 && !CHINESE_STOP_WORDS.has(a!) && !CHINESE_STOP_WORDS.has(b!))
      out.push(a! + b!);
    singles = [];
  };
  for (const s of compoundNouns(zhWords.segment(token))) {
    if (!s.isWordLike) {
      flushSingles();
      continue;
    }
    if ([...s.segment].length === 1 && HAN.test(s.segment)) {
      singles.push(s.segment);
      if (!singlesCount) continue;
    } else flushSingles();
    out.push(s.segment);
  }
  flushSingles();
  for (const run of bigrams ? runs : []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) {
      const bigram = chars[i]! + chars[i + 1]!;
      // A two-character dictionary word is already there once; two function words make no topic.
      if (chars.length === 2 && out.includes(bigram)) continue;
      if (CHINESE_STOP_WORDS.has(chars[i]!) && CHINESE_STOP_WORDS.has(chars[i + 1]!)) continue;
      out.push(bigram);
    }
  }
  return out;
}

const stems = new Map<string, string>();
/**
 * The English stemmer: Porter2 (Snowball English, wink-porter2-stemmer), memoised. Of the two
 * stemmers once in use it is the one that keeps the intent model's held-out accuracy (it also folds
 * contractions: what's → what); knowledge retrieval scored the same with either (docs/nlu.md).
 */
export function stem(word: string): string {
  let out = stems.get(word);
  if (out === undefined) {
    out = porter2(word);
    if (stems.size >= 50_000) stems.clear(); // bounded: user text brings new words forever
    stems.set(word, out);
  }
  return out;
}

/** A Chinese (or mixed) text's segments as ICU's dictionary segmenter finds them (`isWordLike` marks words). */
export function chineseSegments(text: string): Iterable<Intl.SegmentData> {
  return zhWords.segment(text);
}

/**
 * Chinese word splitting shared by the knowledge index and the intent model. Chinese has no spaces:
 * ICU's dictionary segmenter (`Intl.Segmenter`) finds the words, and character bigrams of every Han
 * run cover what the dictionary splits differently in a question and a document (or in two
 * phrasings of one request).
 */

/** Chinese particles, pronouns and question words that carry no topic (a deliberately short list). */
export const CHINESE_STOP_WORDS: ReadonlySet<string> = new Set(
  '的 了 吗 呢 吧 啊 呀 是 在 和 与 及 或 也 都 就 还 我 你 您 他 她 它 我的 你的 我们 你们 他们 这 那 这个 那个 有 什么 怎么 怎样 如何 哪 哪里 吗 能 可以 要 想 请 一个 一下'.split(
    ' ',
  ),
);

export const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const zhWords = new Intl.Segmenter('zh', { granularity: 'word' });

/** Whether the text contains a Chinese character. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Dictionary words of a token that contains Chinese, then the character bigrams of its Chinese runs
 * (`bigrams: false` leaves them out). Single characters are kept only where the text has nothing
 * longer (a one-character question such as 鞋) or when `singles` asks for them.
 */
export function chineseTokens(token: string, opts: { bigrams?: boolean; singles?: boolean } = {}): string[] {
  const out: string[] = [];
  const runs = token.match(HAN_RUN) ?? [];
  // Otherwise the bigrams cover single characters, and in a search index they would match almost everything.
  const keepSingles = opts.singles ?? runs.every((r) => [...r].length < 2);
  for (const s of zhWords.segment(token)) {
    if (!s.isWordLike) continue;
    if ([...s.segment].length === 1 && HAN.test(s.segment) && !keepSingles) continue;
    out.push(s.segment);
  }
  for (const run of (opts.bigrams ?? true) ? runs : []) {
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

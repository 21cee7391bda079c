const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Whether `text` has more than `max` user-perceived characters (grapheme clusters): an emoji, a
 * flag or an accented letter counts as one, as the person typing it sees it, not as the 2–14
 * UTF-16 code units `.length` reports. Stops counting once past `max`.
 */
export function exceedsCharacters(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of segmenter.segment(text)) {
    if (++count > max) return true;
  }
  return false;
}

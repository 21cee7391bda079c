import { isSynonymWord } from './queryExpansion';
import { tokenizeWords } from '../text/words';

/** Restricted Damerau-Levenshtein distance (a swap of two letters is one edit); max + 1 beyond `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Edits allowed for a word of this length: none below 3 letters, one up to 8, two from 9 (two edits
 * on an 8-letter word read "vacation" as "location"). A word of 3 or 4 letters is read only as a
 * word with one letter more that contains it in order ("sik" → "sick", "hom" → "home"): a dropped
 * letter is the commonest short typo, and any edit would make "pay" "day" or "bag" "bad".
 */
const allowedEdits = (word: string) => (word.length < 3 ? 0 : word.length < 9 ? 1 : 2);
export const MIN_CORRECTED_LENGTH = 3;
const SHORT_WORD = 5;

/**
 * `long` is `short` with one letter inserted after its first ("sik" → "sick"): not before it ("end"
 * is no misspelt "send"; people rarely drop the first letter) and not only an "s" at the end (a
 * plural is no typo).
 */
function oneLetterDropped(short: string, long: string): boolean {
  if (long.length !== short.length + 1 || long === `${short}s`) return false;
  for (let i = 1; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

/**
 * The words (lower case, unstemmed) of a body of text, with counts, for reading a misspelt question
 * word as the closest word the text has: "retrun" → "return", "jaket" → "jacket", "diferent" →
 * "different". Correction works on whole words, before stemming, because a misspelling's stem can
 * be far from the right word's stem ("expres" → "expr", "express" → "express").
 */
export class WordVocabulary {
  private readonly counts = new Map<string, number>();

  add(text: string, sign: 1 | -1 = 1): void {
    for (const token of tokenizeWords(text)) {
      const w = token.toLowerCase();
      if (!/^[a-z]+$/.test(w)) continue;
      const n = (this.counts.get(w) ?? 0) + sign;
      if (n > 0) this.counts.set(w, n);
      else this.counts.delete(w);
    }
  }

  has(word: string): boolean {
    return this.counts.has(word.toLowerCase());
  }

  /** The closest known word within the allowed edits (the more frequent on a tie), or undefined. */
  correct(word: string): string | undefined {
    const w = word.toLowerCase();
    const max = allowedEdits(w);
    // A word of the synonym list is understood as it is ("vacation" has its own meaning).
    if (!max || !/^[a-z]+$/.test(w) || this.counts.has(w) || isSynonymWord(w)) return undefined;
    let best: { word: string; distance: number; count: number } | undefined;
    if (w.length < SHORT_WORD) {
      for (const [candidate, count] of this.counts)
        if (oneLetterDropped(w, candidate) && (!best || count > best.count))
          best = { word: candidate, distance: 1, count };
      return best?.word;
    }
    for (const [candidate, count] of this.counts) {
      if (Math.abs(candidate.length - w.length) > max) continue;
      const distance = editDistance(w, candidate, max);
      if (distance > max) continue;
      if (!best || distance < best.distance || (distance === best.distance && count > best.count))
        best = { word: candidate, distance, count };
    }
    return best?.word;
  }

  /** `text` with every unknown word replaced by its correction (words without one stay). */
  correctText(text: string): string {
    return text.replace(/[A-Za-z]+/g, (word) => this.correct(word) ?? word);
  }
}

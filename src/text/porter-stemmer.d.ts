// porter-stemmer ships no types; it is Martin Porter's original algorithm (the one Lucene's PorterStemFilter uses).
declare module 'porter-stemmer' {
  export function stemmer(word: string): string;
  export function memoizingStemmer(word: string): string;
}

// Minimal typings for wink-porter2-stemmer (it ships none).
declare module 'wink-porter2-stemmer' {
  function stem(word: string): string;
  export = stem;
}

// Minimal typings for the two small wink packages used by the tokenizer (they ship none).
declare module 'wink-tokenizer' {
  interface WinkToken {
    value: string;
    tag: string;
  }
  interface WinkTokenizer {
    tokenize(text: string): WinkToken[];
    defineConfig(config: Record<string, boolean>): number;
  }
  function winkTokenizer(): WinkTokenizer;
  export = winkTokenizer;
}

declare module 'wink-porter2-stemmer' {
  function stem(word: string): string;
  export = stem;
}

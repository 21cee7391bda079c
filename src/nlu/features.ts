import { normaliseText, wordTokens } from './text';

/** A sparse feature vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** Pretrained word vectors (e.g. from an npm package); looked up with lower-cased, unstemmed words. */
export interface WordVectors {
  dimensions: number;
  get(word: string): ArrayLike<number> | undefined;
}

/**
 * Sentence vectors (e.g. the embedded Universal Sentence Encoder), looked up by the utterance as
 * given. Encoding is asynchronous (a worker thread), so callers encode first and pass a lookup.
 */
export interface SentenceVectors {
  dimensions: number;
  get(text: string): ArrayLike<number> | undefined;
}

export interface FeatureOptions {
  /** Word n-gram lengths (stemmed tokens), inclusive range. Default [1, 2]. */
  wordNgrams: [number, number];
  /** Character n-gram lengths inside word boundaries, inclusive range. Default [3, 5]. */
  charNgrams: [number, number];
  /** A feature must occur in at least this many training utterances. Default 1 (word) / 2 (char). */
  minDfWord: number;
  minDfChar: number;
  /** Relative weight of the character block against the word block (each block is L2-normalised). */
  charWeight: number;
  /** Weight of the averaged word-vector block (only used when word vectors are given). */
  embeddingWeight: number;
  /** Weight of the sentence-vector block (only used when sentence vectors are given). */
  sentenceWeight: number;
  /**
   * Replaces the built-in English term extraction (another language's model brings its own, e.g.
   * the Chinese one in chineseText.ts). Unset: the English analysis below, unchanged.
   */
  analyzer?: TermAnalyzer;
}

/** The n-gram terms of one utterance: word block, character block and the words for word vectors. */
export interface AnalyzedTerms {
  word: string[];
  char: string[];
  raw: string[];
}

type TermAnalyzer = (text: string, options: FeatureOptions) => AnalyzedTerms;

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordNgrams: [1, 2],
  charNgrams: [3, 5],
  minDfWord: 1,
  minDfChar: 2,
  charWeight: 1,
  embeddingWeight: 1,
  sentenceWeight: 1,
};

/** The raw n-gram terms of one utterance, split into the word block and the character block. */
function extractTerms(text: string, options: FeatureOptions): AnalyzedTerms {
  if (options.analyzer) return options.analyzer(text, options);
  const normalised = normaliseText(text);
  const tokens = wordTokens(normalised);
  const word: string[] = [];
  const [wMin, wMax] = options.wordNgrams;
  for (let n = wMin; n <= wMax; n++) {
    for (let i = 0; i + n <= tokens.length; i++) word.push(tokens.slice(i, i + n).join(' '));
  }
  const char: string[] = [];
  const [cMin, cMax] = options.charNgrams;
  const raw = normalised.replace(/[^a-z0-9? ]+/g, '').split(' ');
  // Character n-grams per word (padded with spaces) make the model robust to typos and inflections.
  for (const rawWord of raw) {
    if (!rawWord) continue;
    const padded = ` ${rawWord} `;
    for (let n = cMin; n <= cMax; n++) {
      if (padded.length < n) continue;
      for (let i = 0; i + n <= padded.length; i++) char.push(padded.slice(i, i + n));
    }
  }
  return { word, char, raw };
}

function countTerms(terms: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/**
 * TF-IDF over word and character n-grams with a vocabulary learnt from the training texts
 * (sublinear tf, smoothed idf, each block L2-normalised, as scikit-learn's TfidfVectorizer does).
 */
export class TfidfVectorizer {
  private constructor(
    private readonly options: FeatureOptions,
    private readonly vocabulary: Map<string, number>,
    private readonly idf: Float32Array,
    private readonly wordVectors?: WordVectors,
    private readonly sentenceVectors?: SentenceVectors,
  ) {}

  /** Number of features: the n-gram vocabulary plus the word- and sentence-vector dimensions, if any. */
  get size(): number {
    return this.idf.length + (this.wordVectors?.dimensions ?? 0) + (this.sentenceVectors?.dimensions ?? 0);
  }

  static fit(
    texts: string[],
    options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
    wordVectors?: WordVectors,
    sentenceVectors?: SentenceVectors,
  ): TfidfVectorizer {
    const df = new Map<string, number>();
    for (const text of texts) {
      const { word, char } = extractTerms(text, options);
      for (const term of new Set(word)) df.set(`w${term}`, (df.get(`w${term}`) ?? 0) + 1);
      for (const term of new Set(char)) df.set(`c${term}`, (df.get(`c${term}`) ?? 0) + 1);
    }
    const vocabulary = new Map<string, number>();
    const idfValues: number[] = [];
    // Sorted so that the feature order (and hence seeded training) does not depend on Map insertion order.
    for (const key of [...df.keys()].sort()) {
      const count = df.get(key) ?? 0;
      const minDf = key[0] === 'w' ? options.minDfWord : options.minDfChar;
      if (count < minDf) continue;
      vocabulary.set(key, idfValues.length);
      idfValues.push(Math.log((1 + texts.length) / (1 + count)) + 1);
    }
    return new TfidfVectorizer(
      options,
      vocabulary,
      Float32Array.from(idfValues),
      wordVectors,
      sentenceVectors,
    );
  }

  /**
   * `sentenceVector`: the utterance's sentence vector when the caller encoded it itself (a message at
   * classification time); otherwise it is looked up in the sentence vectors given to `fit`.
   */
  transform(text: string, sentenceVector?: ArrayLike<number>): SparseVector {
    const { word, char, raw } = extractTerms(text, this.options);
    const wordPart = this.block(countTerms(word), 'w', 1);
    const charPart = this.block(countTerms(char), 'c', this.options.charWeight);
    const vectorPart = this.averagedVector(raw);
    const sentencePart = this.sentenceVector(text, sentenceVector);
    const indices = new Int32Array(
      wordPart.length + charPart.length + vectorPart.length + sentencePart.length,
    );
    const values = new Float32Array(indices.length);
    let k = 0;
    for (const [index, value] of [...wordPart, ...charPart, ...vectorPart, ...sentencePart]) {
      indices[k] = index;
      values[k++] = value;
    }
    return { indices, values };
  }

  /** The mean of the known words' vectors, L2-normalised: a dense block after the n-gram features. */
  private averagedVector(words: string[]): [number, number][] {
    if (!this.wordVectors) return [];
    const dims = this.wordVectors.dimensions;
    const sum = new Float64Array(dims);
    let found = 0;
    for (const w of words) {
      const vector = w ? this.wordVectors.get(w) : undefined;
      if (!vector) continue;
      for (let d = 0; d < dims; d++) sum[d] += vector[d];
      found++;
    }
    if (found === 0) return [];
    let norm = 0;
    for (const v of sum) norm += v * v;
    if (norm === 0) return [];
    const scale = this.options.embeddingWeight / Math.sqrt(norm);
    const offset = this.idf.length;
    return Array.from(sum, (v, d) => [offset + d, v * scale] as [number, number]);
  }

  /** The utterance's sentence vector, L2-normalised and weighted: the last dense block. */
  private sentenceVector(text: string, given?: ArrayLike<number>): [number, number][] {
    if (!this.sentenceVectors) return [];
    const vector = given ?? this.sentenceVectors.get(text);
    if (!vector || vector.length !== this.sentenceVectors.dimensions) return [];
    let norm = 0;
    for (let d = 0; d < vector.length; d++) norm += vector[d] * vector[d];
    if (norm === 0) return [];
    const scale = this.options.sentenceWeight / Math.sqrt(norm);
    const offset = this.idf.length + (this.wordVectors?.dimensions ?? 0);
    return Array.from(vector, (v, d) => [offset + d, v * scale] as [number, number]);
  }

  private block(counts: Map<string, number>, prefix: string, weight: number): [number, number][] {
    const entries: [number, number][] = [];
    let norm = 0;
    for (const [term, count] of counts) {
      const index = this.vocabulary.get(prefix + term);
      if (index === undefined) continue;
      const value = (1 + Math.log(count)) * this.idf[index];
      entries.push([index, value]);
      norm += value * value;
    }
    if (norm > 0) {
      const scale = weight / Math.sqrt(norm);
      for (const entry of entries) entry[1] *= scale;
    }
    return entries;
  }
}

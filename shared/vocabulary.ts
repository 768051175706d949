// A trained model's vocabulary, as saved in each run folder (`vocab.json`) and in every checkpoint.
// Only these words mean anything to a model trained from scratch.
export interface Vocabulary {
  /** Token strings; index = embedding row. Row 0 is reserved for padding/unknown and is not a word. */
  tokens: string[];
  /** How many training captions contain each token (same order as `tokens`). */
  counts: number[];
  /** Tokens of every training caption, for co-occurrence statistics. */
  captions: string[][];
}

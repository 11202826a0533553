/** Names accepted by `createSentimentModel` (and by `SENTIMENT_MODEL`). */
export const SENTIMENT_MODEL_NAMES = ["vader-finance", "vader"] as const;
export type SentimentModelName = (typeof SENTIMENT_MODEL_NAMES)[number];

/**
 * A sentiment model behind the HTTP API. Callers only see this interface, so a
 * model that needs loading (e.g. an ONNX network on the GPU) can replace the
 * lexicon models without changing them: it loads in `load`, reports readiness
 * through `isReady`, scores whole batches at once, and frees resources in `close`.
 */
export interface SentimentModel {
  /** Name and version, reported with every result, e.g. `vader-finance@2`. */
  readonly name: string;
  /** True once the model can score (always, for lexicon models). */
  isReady(): boolean;
  /** Loads whatever the model needs (weights, sessions). Idempotent. */
  load(): Promise<void>;
  /**
   * Compound scores in [-1, 1], one per text and in the same order. Takes the
   * whole batch so that a network can score it in one pass.
   */
  score(texts: readonly string[]): Promise<number[]>;
  /** Frees what `load` acquired. Idempotent. */
  close(): Promise<void>;
}

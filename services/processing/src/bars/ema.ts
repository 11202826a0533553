/** EMA period used throughout the product. */
export const EMA_PERIOD = 9;

/** Smoothing factor α = 2 / (period + 1). */
export const EMA_ALPHA = 2 / (EMA_PERIOD + 1);

/**
 * What is known of a ticker's series just before the first bar to compute:
 * the previous bar's EMA when it has one, otherwise the closes seen so far
 * (fewer than {@link EMA_PERIOD}, oldest first) that the seed still needs.
 */
export type EmaSeed =
  | { readonly kind: "ema"; readonly ema: number }
  | { readonly kind: "warmup"; readonly closes: readonly number[] };

/** The seed of a series that has no bar yet. */
export const EMPTY_SEED: EmaSeed = { kind: "warmup", closes: [] };

/**
 * EMA9 of each close, continuing from `seed`: the first value is the simple
 * mean of the first nine closes of the series, then
 * `ema = α·close + (1 − α)·previous`. Bars before the ninth get `null`.
 */
export function emaSeries(seed: EmaSeed, closes: readonly number[]): (number | null)[] {
  const out: (number | null)[] = [];
  let ema = seed.kind === "ema" ? seed.ema : null;
  const warmup = seed.kind === "warmup" ? [...seed.closes] : [];
  for (const close of closes) {
    if (ema !== null) {
      ema = EMA_ALPHA * close + (1 - EMA_ALPHA) * ema;
    } else {
      warmup.push(close);
      if (warmup.length === EMA_PERIOD) ema = warmup.reduce((sum, c) => sum + c, 0) / EMA_PERIOD;
    }
    out.push(ema);
  }
  return out;
}

/**
 * Builds the seed from the bars just before the first bar to compute (oldest
 * first, at most the last {@link EMA_PERIOD}) and whether they are all the
 * ticker's earlier bars.
 */
export function seedFromPrior(
  prior: readonly { readonly close: number; readonly ema9: number | null }[],
): EmaSeed {
  const last = prior.at(-1);
  if (last === undefined) return EMPTY_SEED;
  if (last.ema9 !== null) return { kind: "ema", ema: last.ema9 };
  // No EMA on the previous bar means fewer than nine bars exist before: all of them are here.
  return { kind: "warmup", closes: prior.map((p) => p.close) };
}

import { EMA } from "technicalindicators";
import { describe, expect, it } from "vitest";
import { EMA_ALPHA, EMPTY_SEED, emaSeries, seedFromPrior } from "./ema.js";

/** A deterministic random walk of closes. */
function walk(n: number, seed = 7): number[] {
  let x = seed;
  let price = 150;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    price *= 1 + (x / 2 ** 31 - 0.5) * 0.004;
    return Math.round(price * 100) / 100;
  });
}

describe("emaSeries", () => {
  it("uses alpha 2/(9+1)", () => {
    expect(EMA_ALPHA).toBe(0.2);
  });

  it("gives no value before the ninth close and the simple mean on the ninth", () => {
    const closes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const out = emaSeries(EMPTY_SEED, closes);
    expect(out.slice(0, 8)).toEqual(Array(8).fill(null));
    expect(out[8]).toBe(5);
    expect(out[9]).toBeCloseTo(0.2 * 10 + 0.8 * 5, 12);
  });

  it("matches the technicalindicators library on a long series within 1e-9", () => {
    const closes = walk(20_000);
    const ours = emaSeries(EMPTY_SEED, closes).filter((v): v is number => v !== null);
    const reference = EMA.calculate({ period: 9, values: closes });
    expect(ours).toHaveLength(reference.length);
    const worst = Math.max(...ours.map((v, i) => Math.abs(v - reference[i]!)));
    expect(worst).toBeLessThan(1e-9);
  });

  it("continues a series from a seed exactly as computing it whole", () => {
    const closes = walk(500, 11);
    const whole = emaSeries(EMPTY_SEED, closes);
    for (const cut of [1, 5, 8, 9, 10, 250]) {
      const head = emaSeries(EMPTY_SEED, closes.slice(0, cut));
      const prior = closes
        .slice(0, cut)
        .map((close, i) => ({ close, ema9: head[i] ?? null }))
        .slice(-9);
      const tail = emaSeries(seedFromPrior(prior), closes.slice(cut));
      expect([...head, ...tail]).toEqual(whole);
    }
  });
});

describe("seedFromPrior", () => {
  it("starts empty without earlier bars", () => {
    expect(seedFromPrior([])).toEqual(EMPTY_SEED);
  });
  it("continues from the previous EMA when there is one", () => {
    expect(
      seedFromPrior([
        { close: 3, ema9: null },
        { close: 4, ema9: 2.5 },
      ]),
    ).toEqual({ kind: "ema", ema: 2.5 });
  });
  it("keeps the warm-up closes while fewer than nine bars exist", () => {
    expect(
      seedFromPrior([
        { close: 3, ema9: null },
        { close: 4, ema9: null },
      ]),
    ).toEqual({
      kind: "warmup",
      closes: [3, 4],
    });
  });
});

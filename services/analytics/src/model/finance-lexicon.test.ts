import { describe, expect, it } from "vitest";
import { FINANCE_LEXICON } from "./finance-lexicon.js";
import { MAX_STAND_IN_VALENCE } from "./stand-ins.js";
import { createTermRewriter } from "./term-rewriter.js";

const rewriter = createTermRewriter(FINANCE_LEXICON);

describe("FINANCE_LEXICON", () => {
  it("has at least 60 terms, each pattern once", () => {
    expect(FINANCE_LEXICON.length).toBeGreaterThanOrEqual(60);
    const patterns = FINANCE_LEXICON.map((t) => t.pattern);
    expect(new Set(patterns).size).toBe(patterns.length);
  });

  it("keeps valences on VADER's scale, on the 0.1 grid", () => {
    for (const { pattern, valence } of FINANCE_LEXICON) {
      expect(Math.abs(valence), pattern).toBeLessThanOrEqual(MAX_STAND_IN_VALENCE);
      expect(Math.round(valence * 10), pattern).toBeCloseTo(valence * 10, 9);
    }
  });

  it("compiles into a rewriter", () => {
    expect(() => createTermRewriter(FINANCE_LEXICON)).not.toThrow();
  });

  it.each([
    ["beats estimates", "positive"],
    ["misses estimates", "negative"],
    ["tops expectations", "positive"],
    ["misses expectations", "negative"],
    ["beats on revenue", "positive"],
    ["upgrade", "positive"],
    ["downgrade", "negative"],
    ["raised guidance", "positive"],
    ["guidance cut", "negative"],
    ["profit warning", "negative"],
    ["recall", "negative"],
    ["lawsuit", "negative"],
    ["sued", "negative"],
    ["layoffs", "negative"],
    ["job cuts", "negative"],
    ["record revenue", "positive"],
    ["bankruptcy", "negative"],
    ["probe", "negative"],
    ["investigation", "negative"],
    ["fraud", "negative"],
    ["plunges", "negative"],
    ["soars", "positive"],
    ["rally", "positive"],
    ["slump", "negative"],
    ["outperform", "positive"],
    ["underperform", "negative"],
    ["buyback", "positive"],
    ["dividend cut", "negative"],
    ["dividend hike", "positive"],
    ["dismisses lawsuit", "positive"],
    ["closes investigation", "positive"],
    ["overturns fine", "positive"],
    ["lifts recall", "positive"],
    ["misses interest payment", "negative"],
    ["cuts debt", "positive"],
    ["fine", "negative"],
    ["infringed", "negative"],
    ["delays", "negative"],
    ["sold out", "positive"],
    ["upside", "positive"],
  ])("rates %j as one %s term", (words, sign) => {
    const { matches } = rewriter.rewrite(words);
    expect(matches).toHaveLength(1);
    expect(matches[0]?.words.toLowerCase()).toBe(words);
    expect(Math.sign(matches[0]?.valence ?? 0)).toBe(sign === "positive" ? 1 : -1);
  });
});

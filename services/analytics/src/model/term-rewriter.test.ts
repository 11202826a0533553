import { describe, expect, it } from "vitest";
import { createTermRewriter } from "./term-rewriter.js";
import { standInFor } from "./stand-ins.js";

const rewriter = createTermRewriter([
  { pattern: "miss|misses|missed ... estimates|street", valence: -2.0 },
  { pattern: "cut|cuts guidance", valence: -2.2 },
  { pattern: "fell short", valence: -1.8 },
  { pattern: "fell", valence: -1.0 },
  { pattern: "layoffs", valence: -2.0 },
  { pattern: "shares", valence: 0 },
]);
const [MISS, CUT, SHORT, FELL, LAYOFFS] = [-2.0, -2.2, -1.8, -1.0, -2.0].map(standInFor);

describe("createTermRewriter", () => {
  it("replaces a single word by the stand-in of its valence", () => {
    expect(rewriter.rewrite("Acme announces layoffs").text).toBe(`Acme announces ${LAYOFFS}`);
  });

  it("replaces a neutralised word by a word VADER does not know", () => {
    expect(rewriter.rewrite("Acme shares rise").text).toBe("Acme neutral rise");
  });

  it("collapses a phrase into one stand-in at its first word", () => {
    const { text, matches } = rewriter.rewrite("Acme missed estimates");
    expect(text).toBe(`Acme ${MISS}`);
    expect(matches).toEqual([
      { pattern: "miss|misses|missed ... estimates|street", valence: -2, words: "missed estimates" },
    ]);
  });

  it("keeps the words inside a gap, which VADER still scores", () => {
    expect(rewriter.rewrite("Acme misses weak quarterly estimates").text).toBe(`Acme ${MISS} weak quarterly`);
  });

  it("does not bridge a gap of more than two words", () => {
    const text = "Acme misses the first three estimates";
    expect(rewriter.rewrite(text)).toEqual({ text, matches: [] });
  });

  it("takes the farthest match within a gap", () => {
    expect(rewriter.rewrite("Acme misses Wall Street estimates").matches[0]?.words).toBe("misses estimates");
  });

  it("never matches a phrase across clause punctuation", () => {
    const text = "Acme misses, estimates say";
    expect(rewriter.rewrite(text)).toEqual({ text, matches: [] });
  });

  it("keeps the punctuation of removed words", () => {
    expect(rewriter.rewrite("Acme misses estimates, cuts guidance!").text).toBe(`Acme ${MISS}, ${CUT}!`);
  });

  it("prefers the term with more words where two start at the same word", () => {
    expect(rewriter.rewrite("Acme fell short").text).toBe(`Acme ${SHORT}`);
    expect(rewriter.rewrite("Acme fell").text).toBe(`Acme ${FELL}`);
  });

  it("matches case-insensitively and keeps ALL CAPS for VADER's emphasis", () => {
    expect(rewriter.rewrite("Acme Cuts Guidance").text).toBe(`Acme ${CUT}`);
    expect(rewriter.rewrite("Acme LAYOFFS loom").text).toBe(`Acme ${LAYOFFS?.toUpperCase()} loom`);
  });

  it("leaves a text without finance terms exactly as it was", () => {
    const text = "  The new phone is great,\tand customers love it!  ";
    expect(rewriter.rewrite(text).text).toBe(text);
  });

  it.each(["... estimates", "misses ...", "misses ... ... estimates", "   "])(
    "rejects the malformed pattern %j",
    (pattern) => {
      expect(() => createTermRewriter([{ pattern, valence: -1 }])).toThrow(/finance term/);
    },
  );

  it("rejects a valence that has no stand-in", () => {
    expect(() => createTermRewriter([{ pattern: "meltdown", valence: -3.95 }])).toThrow(RangeError);
  });
});

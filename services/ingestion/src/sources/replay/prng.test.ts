import { describe, expect, it } from "vitest";
import { gaussian, hashSeed, mulberry32, pick, seededRandom } from "./prng.js";

describe("prng", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });

  it("draws uniform numbers in [0, 1) with a mean near one half", () => {
    const random = seededRandom("x");
    const xs = Array.from({ length: 10_000 }, random);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.02);
  });

  it("draws normal samples with mean 0 and deviation 1", () => {
    const random = seededRandom("normal");
    const xs = Array.from({ length: 20_000 }, () => gaussian(random));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it.each([
    ["", 0x811c9dc5],
    ["a", 0xe40c292c],
  ])("hashes %j with FNV-1a", (text, expected) => {
    expect(hashSeed(text)).toBe(expected);
  });

  it("refuses to pick from an empty list", () => {
    expect(() => pick(seededRandom("x"), [])).toThrow(RangeError);
  });
});

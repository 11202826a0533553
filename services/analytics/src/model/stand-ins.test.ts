import { describe, expect, it } from "vitest";
import { MAX_STAND_IN_VALENCE, NEUTRAL_STAND_IN, standInFor, standInTable } from "./stand-ins.js";
import { vaderCompound } from "./vader.js";

/** VADER's normalisation of a lone word's valence into a compound score, rounded as the library rounds. */
function expectedCompound(valence: number): number {
  return Number((valence / Math.sqrt(valence * valence + 15)).toFixed(4));
}

describe("stand-in words", () => {
  it("cover every tenth from -3.4 to 3.4 except 0", () => {
    expect(standInTable().size).toBe(68);
    for (let tenths = -34; tenths <= 34; tenths++) {
      if (tenths !== 0) expect(() => standInFor(tenths / 10)).not.toThrow();
    }
  });

  it.each([...standInTable()])("valence %d: VADER rates %j at exactly that valence", (valence, word) => {
    expect(vaderCompound(word)).toBe(expectedCompound(valence));
  });

  it("are all different words", () => {
    const words = [...standInTable().values(), NEUTRAL_STAND_IN];
    expect(new Set(words).size).toBe(words.length);
  });

  it("use a word VADER does not know for valence 0", () => {
    expect(standInFor(0)).toBe(NEUTRAL_STAND_IN);
    expect(vaderCompound(`Acme ${NEUTRAL_STAND_IN} today`)).toBe(0);
  });

  it("reject a valence off the 0.1 grid", () => {
    expect(() => standInFor(1.25)).toThrow(RangeError);
  });

  it("reject a valence beyond the largest stand-in", () => {
    expect(() => standInFor(MAX_STAND_IN_VALENCE + 0.1)).toThrow(/outside/);
    expect(() => standInFor(-3.9)).toThrow(/outside/);
  });
});

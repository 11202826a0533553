import { describe, expect, it } from "vitest";
import { rangeShowingAll } from "./view-range.js";

describe("rangeShowingAll", () => {
  it("spreads the slots over the width, with the margins' pixels free at each end", () => {
    // 100 slots on 1040 px with 20 px each side: 10 px per slot, two slots of margin.
    expect(rangeShowingAll(100, 1040, { left: 20, right: 20 })).toEqual({ from: -2.5, to: 101.5 });
  });

  it("shows the same whole session however many of its bars have arrived", () => {
    expect(rangeShowingAll(390, 800)).toEqual(rangeShowingAll(390, 800));
    const range = rangeShowingAll(390, 800);
    expect(range.from).toBeLessThan(0);
    expect(range.to).toBeGreaterThan(389);
  });

  it("keeps at least half the width for the bars on a very narrow chart", () => {
    const range = rangeShowingAll(10, 40, { left: 20, right: 20 });
    expect(range.to - range.from).toBeCloseTo(20, 9); // 2 px per slot, 40 px in all
  });
});

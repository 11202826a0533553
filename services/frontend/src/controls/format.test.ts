import { describe, expect, it } from "vitest";
import { formatChange, formatPrice } from "./format.js";

describe("formatChange", () => {
  it("signs a gain and marks it up", () => {
    expect(formatChange({ change: 1.25, changePercent: 0.6612 })).toEqual({
      text: "+1.25 (+0.66%)",
      direction: "up",
    });
  });

  it("shows a loss and marks it down", () => {
    expect(formatChange({ change: -2, changePercent: -1 })).toEqual({
      text: "-2.00 (-1.00%)",
      direction: "down",
    });
  });

  it("says so when there is no previous close", () => {
    expect(formatChange({ change: null, changePercent: null })).toEqual({
      text: "no previous close",
      direction: "flat",
    });
  });
});

describe("formatPrice", () => {
  it("shows two decimals", () => {
    expect(formatPrice(189.2)).toBe("189.20");
  });
});

import { describe, expect, it } from "vitest";
import { clampToOptions, tradingDayOptions } from "./trading-days.js";

describe("tradingDayOptions", () => {
  it("ends at the latest date with data and goes back newest first", () => {
    expect(tradingDayOptions("2024-07-17", 3)).toEqual(["2024-07-17", "2024-07-16", "2024-07-15"]);
  });

  it("skips weekends", () => {
    expect(tradingDayOptions("2024-07-15", 2)).toEqual(["2024-07-15", "2024-07-12"]);
  });

  it("skips NYSE holidays (Independence Day 2024)", () => {
    expect(tradingDayOptions("2024-07-05", 3)).toEqual(["2024-07-05", "2024-07-03", "2024-07-02"]);
  });

  it("starts from the previous trading day when the latest date is not one", () => {
    expect(tradingDayOptions("2024-07-14", 1)).toEqual(["2024-07-12"]);
  });

  it("offers twenty days by default", () => {
    expect(tradingDayOptions("2024-07-17")).toHaveLength(20);
  });
});

describe("clampToOptions", () => {
  const options = ["2024-07-17", "2024-07-16"];

  it("keeps a date the picker offers", () => {
    expect(clampToOptions("2024-07-16", options)).toBe("2024-07-16");
  });

  it("falls back to the newest date for one after the latest, a weekend or none", () => {
    expect(clampToOptions("2024-07-18", options)).toBe("2024-07-17");
    expect(clampToOptions("2024-07-13", options)).toBe("2024-07-17");
    expect(clampToOptions(undefined, options)).toBe("2024-07-17");
  });

  it("has nothing to pick from no options", () => {
    expect(clampToOptions("2024-07-16", [])).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { clampToOptions } from "./trading-days.js";

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

import { describe, expect, it } from "vitest";
import { CACHE_CLOSED_DAY, CACHE_LIVE, cacheControlForDay } from "./cache.js";

describe("cache headers for a day's bars", () => {
  const duringSession = new Date("2024-03-05T15:00:00Z"); // 10:00 in New York

  it("lets caches keep a day that is over", () => {
    expect(cacheControlForDay("2024-03-04", duringSession)).toBe(CACHE_CLOSED_DAY);
  });

  it("asks to revalidate today while the session runs", () => {
    expect(cacheControlForDay("2024-03-05", duringSession)).toBe(CACHE_LIVE);
  });

  it("treats today as over once the session has closed", () => {
    expect(cacheControlForDay("2024-03-05", new Date("2024-03-05T21:30:00Z"))).toBe(CACHE_CLOSED_DAY);
  });

  it("never caches a future day long", () => {
    expect(cacheControlForDay("2024-03-06", duringSession)).toBe(CACHE_LIVE);
  });
});

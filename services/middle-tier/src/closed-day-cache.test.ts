import { describe, expect, it } from "vitest";
import { ClosedDayCache } from "./closed-day-cache.js";

describe("ClosedDayCache", () => {
  it("returns what was stored until it expires", () => {
    let now = 0;
    const cache = new ClosedDayCache<string>({ ttlMs: 1_000, maxEntries: 10, now: () => now });
    cache.set("AAPL|2024-03-04", "{}");
    now = 999;
    expect(cache.get("AAPL|2024-03-04")).toBe("{}");
    now = 1_000;
    expect(cache.get("AAPL|2024-03-04")).toBeUndefined();
  });

  it("drops the oldest entries beyond its size", () => {
    const cache = new ClosedDayCache<string>({ ttlMs: 1_000, maxEntries: 2, now: () => 0 });
    cache.set("a", "1");
    cache.set("b", "2");
    cache.set("c", "3");
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([undefined, "2", "3"]);
  });

  it("tells of each lookup whether it hit a live entry", () => {
    let now = 0;
    const lookups: string[] = [];
    const cache = new ClosedDayCache<string>({
      ttlMs: 1_000,
      maxEntries: 10,
      now: () => now,
      onLookup: (result) => lookups.push(result),
    });
    cache.get("a");
    cache.set("a", "1");
    cache.get("a");
    now = 1_000;
    cache.get("a");
    expect(lookups).toEqual(["miss", "hit", "miss"]);
  });
});

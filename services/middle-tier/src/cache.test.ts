import { afterEach, describe, expect, it, vi } from "vitest";
import { CACHE_CLOSED_DAY, CACHE_LIVE, cacheControlForDay, isDayFinal } from "./cache.js";

const DAY = "2024-03-05";
const duringSession = new Date("2024-03-05T15:00:00Z"); // 10:00 in New York
const afterClose = new Date("2024-03-05T21:30:00Z"); // 16:30
/** Start of the session's last minute, 15:59 New York: stored bars up to it cover the session. */
const lastMinute = new Date("2024-03-05T20:59:00Z");

describe("cache headers for a day's bars", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets caches keep a day whose session is over and whose bars reach its close", () => {
    expect(cacheControlForDay(DAY, afterClose, lastMinute)).toBe(CACHE_CLOSED_DAY);
    expect(cacheControlForDay(DAY, new Date("2024-03-08T15:00:00Z"), lastMinute)).toBe(CACHE_CLOSED_DAY);
  });

  it("asks to revalidate today while the session runs", () => {
    expect(cacheControlForDay(DAY, duringSession, new Date("2024-03-05T14:59:00Z"))).toBe(CACHE_LIVE);
  });

  it("asks to revalidate a day that is over while its last minutes are not stored yet", () => {
    // 15:58: the session's last bar is still on its way (processing catching up, a backfill under way).
    expect(cacheControlForDay(DAY, afterClose, new Date("2024-03-05T20:58:00Z"))).toBe(CACHE_LIVE);
    expect(cacheControlForDay("2024-03-04", duringSession, new Date("2024-03-04T17:00:00Z"))).toBe(
      CACHE_LIVE,
    );
    expect(cacheControlForDay(DAY, afterClose, undefined)).toBe(CACHE_LIVE);
  });

  it("honours an early close: 13:00 on the day after Thanksgiving", () => {
    expect(isDayFinal("2024-11-29", new Date("2024-11-29T18:05:00Z"), new Date("2024-11-29T17:59:00Z"))).toBe(
      true,
    );
  });

  it("never caches a future day or a day without a session long", () => {
    expect(cacheControlForDay("2024-03-06", duringSession, undefined)).toBe(CACHE_LIVE);
    expect(cacheControlForDay("2024-03-09", afterClose, undefined)).toBe(CACHE_LIVE);
  });

  // The clock given is the one that produced the data (a replay's in a local run); the wall clock has no say.
  it("keeps a replayed day live while the replay's clock is in its session, though the wall clock says it is over", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-03T12:00:00Z") });
    expect(isDayFinal(DAY, duringSession, new Date("2024-03-05T14:59:00Z"))).toBe(false);
  });

  it("treats a replayed day as final once the replay's clock has passed its close, though the wall clock is in its session", () => {
    vi.useFakeTimers({ toFake: ["Date"], now: duringSession });
    expect(isDayFinal(DAY, afterClose, lastMinute)).toBe(true);
  });
});

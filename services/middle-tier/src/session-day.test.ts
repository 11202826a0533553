import { describe, expect, it } from "vitest";
import { noSessionReason } from "./session-day.js";

/** 10:00 New York on Tuesday 2024-03-05. */
const NOW = new Date("2024-03-05T15:00:00.000Z");

describe("noSessionReason", () => {
  it.each([
    ["2024-03-09", "the exchange is closed on 2024-03-09 (weekend)"],
    ["2024-03-29", "the exchange is closed on 2024-03-29 (Good Friday)"],
    ["2024-12-25", "the exchange is closed on 2024-12-25 (Christmas Day)"],
    ["2025-01-09", "the exchange is closed on 2025-01-09 (National day of mourning for Jimmy Carter)"],
    ["2024-03-06", "2024-03-06 is after today (2024-03-05): no bars yet"],
  ])("says why %s has no session bars", (date, reason) => {
    expect(noSessionReason(date, NOW)).toBe(reason);
  });

  it.each(["2024-03-04", "2024-03-05", "2001-01-02"])("has nothing against the trading day %s", (date) => {
    expect(noSessionReason(date, NOW)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import type { StatusResponse } from "../contracts.js";
import { formatAge, freshnessBadge } from "./freshness-badge.js";

const status = (overrides: Partial<StatusResponse> = {}): StatusResponse => ({
  at: "2024-03-06T16:03:45.000Z",
  freshness: "fresh",
  thresholds: { freshSeconds: 120, lateSeconds: 300 },
  market: {
    exchange: "XNYS",
    open: true,
    sessionOpenedAt: "2024-03-06T14:30:00.000Z",
    elapsedSeconds: 5_625,
    nextClose: "2024-03-06T21:00:00.000Z",
    nextOpen: "2024-03-07T14:30:00.000Z",
    previousClose: "2024-03-05T21:00:00.000Z",
  },
  tickers: [
    {
      ticker: "MSFT",
      lastBarStart: "2024-03-06T16:02:00.000Z",
      lastBarEnd: "2024-03-06T16:03:00.000Z",
      ageSeconds: 45,
      behindSeconds: 45,
      freshness: "fresh",
    },
  ],
  lastArticle: null,
  deadLetters: { windowSeconds: 3_600, total: 0, byTopic: {} },
  ...overrides,
});

describe("formatAge", () => {
  it.each([
    [0, "0 s"],
    [44.6, "45 s"],
    [60, "1 min"],
    [3_599, "59 min"],
    [3_600, "1 h"],
    [7_500, "2 h 5 min"],
    [86_400 * 3 + 3_600 * 4, "3 d 4 h"],
    [-5, "0 s"],
  ])("%d s reads %s", (seconds, text) => {
    expect(formatAge(seconds)).toBe(text);
  });
});

describe("freshnessBadge", () => {
  it("shows the overall level and the shown ticker's newest bar age in New York time", () => {
    expect(freshnessBadge(status(), "MSFT")).toEqual({
      level: "fresh",
      label: "Data fresh",
      detail: "Newest MSFT bar ended 45 s ago (Mar 6, 11:03 ET). Market open.",
    });
  });

  it("names the ticker furthest behind when another ticker makes the data late", () => {
    const badge = freshnessBadge(
      status({
        freshness: "late",
        tickers: [
          ...status().tickers,
          {
            ticker: "AMZN",
            lastBarStart: "2024-03-06T15:58:00.000Z",
            lastBarEnd: "2024-03-06T15:59:00.000Z",
            ageSeconds: 285,
            behindSeconds: 285,
            freshness: "late",
          },
        ],
      }),
      "MSFT",
    );
    expect(badge.level).toBe("late");
    expect(badge.label).toBe("Data late");
    expect(badge.detail).toContain("Furthest behind: AMZN, 4 min.");
  });

  it("says when the market opens next while it is closed", () => {
    const closed = status({
      market: { ...status().market, open: false, sessionOpenedAt: null, elapsedSeconds: 0 },
    });
    expect(freshnessBadge(closed, "MSFT").detail).toContain("Market closed; opens Mar 7, 09:30 ET.");
  });

  it("says when the shown ticker has no recent bar", () => {
    expect(freshnessBadge(status({ freshness: "stale", tickers: [] }), "IBM")).toMatchObject({
      level: "stale",
      label: "Data stale",
      detail: expect.stringContaining("No IBM bar in the last week."),
    });
  });

  it("is unknown, with the reason, when the status cannot be read", () => {
    expect(freshnessBadge(undefined, "MSFT", "the API cannot be reached")).toEqual({
      level: "unknown",
      label: "Data status unknown",
      detail: "The status could not be read: the API cannot be reached.",
    });
    expect(freshnessBadge(undefined, "MSFT").detail).toBe("Reading the status…");
  });
});

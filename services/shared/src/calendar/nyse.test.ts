import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/errors.js";
import { exchangeDate } from "./iso-date.js";
import {
  closureReason,
  isEarlyClose,
  isMarketOpen,
  isTradingDay,
  latestTradingDays,
  nextTradingDay,
  previousTradingDay,
  sessionFor,
  sessionMinutes,
  tradingDaysBetween,
} from "./nyse.js";

describe("NYSE calendar: known dates", () => {
  it.each([
    ["2024-03-28", "open", "an ordinary Thursday"],
    ["2024-03-29", "closed", "Good Friday"],
    ["2024-03-30", "closed", "a Saturday"],
    ["2024-07-03", "early", "the day before Independence Day"],
    ["2024-07-04", "closed", "Independence Day"],
    ["2023-07-03", "early", "a Monday before a Tuesday Independence Day"],
    ["2025-07-03", "early", "a Thursday before a Friday Independence Day"],
    ["2020-07-03", "closed", "Independence Day observed on Friday"],
    ["2026-07-03", "closed", "Independence Day 2026 observed on Friday"],
    ["2024-11-28", "closed", "Thanksgiving"],
    ["2024-11-29", "early", "the day after Thanksgiving"],
    ["2024-12-24", "early", "Christmas Eve on a Tuesday"],
    ["2024-12-25", "closed", "Christmas"],
    ["2022-12-26", "closed", "Christmas observed on Monday"],
    ["2021-12-24", "closed", "Christmas observed on Friday"],
    ["2021-12-31", "open", "a Friday before a Saturday New Year's Day"],
    ["2027-12-31", "open", "a Friday before a Saturday New Year's Day"],
    ["2023-01-02", "closed", "New Year's Day observed on Monday"],
    ["2022-01-17", "closed", "Martin Luther King Jr. Day"],
    ["2024-02-19", "closed", "Washington's Birthday"],
    ["2024-05-27", "closed", "Memorial Day"],
    ["2021-06-18", "open", "the Friday before Juneteenth 2021, before NYSE observed it"],
    ["2022-06-20", "closed", "Juneteenth observed on Monday"],
    ["2023-06-19", "closed", "Juneteenth"],
    ["2024-09-02", "closed", "Labor Day"],
    ["2025-01-09", "closed", "the national day of mourning for Jimmy Carter"],
    ["2025-01-10", "open", "the day after the Carter closure"],
    ["2018-12-05", "closed", "the national day of mourning for George H. W. Bush"],
  ])("%s is %s (%s)", (date, expected) => {
    const actual = !isTradingDay(date) ? "closed" : isEarlyClose(date) ? "early" : "open";
    expect(actual).toBe(expected);
  });

  it("names the reason for a closure", () => {
    expect(closureReason("2024-03-29")).toBe("Good Friday");
    expect(closureReason("2024-03-30")).toBe("weekend");
    expect(closureReason("2025-01-09")).toMatch(/Carter/);
    expect(closureReason("2024-03-28")).toBeUndefined();
  });

  it.each(["2024-02-30", "2024-2-3", "yesterday", ""])("refuses the malformed date %j", (date) => {
    expect(() => isTradingDay(date)).toThrow(ValidationError);
  });
});

describe("sessionFor", () => {
  it.each([
    ["2024-03-08", "winter (EST)", "2024-03-08T14:30:00.000Z", "2024-03-08T21:00:00.000Z"],
    ["2024-03-11", "the first Monday of summer time", "2024-03-11T13:30:00.000Z", "2024-03-11T20:00:00.000Z"],
    ["2024-11-01", "the last Friday of summer time", "2024-11-01T13:30:00.000Z", "2024-11-01T20:00:00.000Z"],
    ["2024-11-04", "the first Monday of winter time", "2024-11-04T14:30:00.000Z", "2024-11-04T21:00:00.000Z"],
    ["2024-07-03", "an early close in summer", "2024-07-03T13:30:00.000Z", "2024-07-03T17:00:00.000Z"],
    ["2024-11-29", "an early close in winter", "2024-11-29T14:30:00.000Z", "2024-11-29T18:00:00.000Z"],
  ])("opens and closes %s (%s) at the right UTC instants", (date, _season, open, close) => {
    const session = sessionFor(date);
    expect(session?.open.toISOString()).toBe(open);
    expect(session?.close.toISOString()).toBe(close);
  });

  it("has no session on a holiday", () => {
    expect(sessionFor("2024-03-29")).toBeUndefined();
  });
});

describe("isMarketOpen", () => {
  it.each([
    ["2024-03-11T13:29:59.999Z", false, "a millisecond before the open"],
    ["2024-03-11T13:30:00.000Z", true, "at the open"],
    ["2024-03-11T19:59:59.999Z", true, "a millisecond before the close"],
    ["2024-03-11T20:00:00.000Z", false, "at the close"],
    ["2024-03-08T14:00:00.000Z", false, "09:00 in winter"],
    ["2024-03-08T14:30:00.000Z", true, "09:30 in winter"],
    ["2024-07-03T16:59:00.000Z", true, "12:59 on an early close"],
    ["2024-07-03T17:00:00.000Z", false, "13:00 on an early close"],
    ["2024-03-29T15:00:00.000Z", false, "11:00 on Good Friday"],
    ["2024-03-30T15:00:00.000Z", false, "11:00 on a Saturday"],
  ])("at %s is %s (%s)", (instant, expected) => {
    expect(isMarketOpen(new Date(instant))).toBe(expected);
  });
});

describe("exchangeDate", () => {
  it.each([
    ["2024-03-05T02:00:00Z", "2024-03-04", "evening in New York is still the previous day"],
    ["2024-03-05T04:59:59Z", "2024-03-04", "23:59 EST"],
    ["2024-03-05T05:00:00Z", "2024-03-05", "midnight EST"],
    ["2024-07-01T03:59:59Z", "2024-06-30", "23:59 EDT"],
    ["2024-07-01T04:00:00Z", "2024-07-01", "midnight EDT"],
  ])("maps %s to %s (%s)", (instant, expected) => {
    expect(exchangeDate(new Date(instant))).toBe(expected);
  });
});

describe("trading-day arithmetic", () => {
  it("lists trading days between two dates, both inclusive, skipping Good Friday and the weekend", () => {
    expect(tradingDaysBetween("2024-03-27", "2024-04-02")).toEqual([
      "2024-03-27",
      "2024-03-28",
      "2024-04-01",
      "2024-04-02",
    ]);
  });

  it("lists nothing when from is after to", () => {
    expect(tradingDaysBetween("2024-04-02", "2024-03-27")).toEqual([]);
  });

  it.each([
    ["2024-04-01", "2024-03-28", "over Easter"],
    ["2025-01-10", "2025-01-08", "over the Carter closure"],
    ["2024-03-05", "2024-03-04", "on an ordinary Tuesday"],
  ])("finds the trading day before %s: %s (%s)", (date, expected) => {
    expect(previousTradingDay(date)).toBe(expected);
  });

  it("finds the next trading day after a holiday weekend", () => {
    expect(nextTradingDay("2024-03-28")).toBe("2024-04-01");
  });

  it("counts today in the latest trading days only once its session has opened", () => {
    expect(latestTradingDays(3, new Date("2024-04-01T13:00:00Z"))).toEqual([
      "2024-03-26",
      "2024-03-27",
      "2024-03-28",
    ]);
    expect(latestTradingDays(3, new Date("2024-04-01T14:00:00Z"))).toEqual([
      "2024-03-27",
      "2024-03-28",
      "2024-04-01",
    ]);
  });
});

describe("sessionMinutes", () => {
  it("yields 390 one-minute bar starts on a regular day, first at the open and last a minute before the close", () => {
    const minutes = [...sessionMinutes("2024-03-05")];
    expect(minutes).toHaveLength(390);
    expect(minutes[0]?.toISOString()).toBe("2024-03-05T14:30:00.000Z");
    expect(minutes.at(-1)?.toISOString()).toBe("2024-03-05T20:59:00.000Z");
  });

  it("yields 210 minutes on an early close and none on a holiday", () => {
    expect([...sessionMinutes("2024-07-03")]).toHaveLength(210);
    expect([...sessionMinutes("2024-03-29")]).toHaveLength(0);
  });
});

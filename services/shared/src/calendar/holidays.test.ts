import { describe, expect, it } from "vitest";
import { CALENDAR_YEARS, easterSunday, inCalendarYears, nthWeekday, nyseHolidays } from "./holidays.js";

describe("easterSunday", () => {
  it.each([
    [2000, "2000-04-23"],
    [2008, "2008-03-23"],
    [2011, "2011-04-24"],
    [2019, "2019-04-21"],
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2038, "2038-04-25"],
  ])("puts Easter %i on %s", (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });
});

describe("nthWeekday", () => {
  it.each([
    ["third Monday of January 2024", 2024, 1, 1, 3, "2024-01-15"],
    ["last Monday of May 2024", 2024, 5, 1, -1, "2024-05-27"],
    ["first Monday of September 2024", 2024, 9, 1, 1, "2024-09-02"],
    ["fourth Thursday of November 2024", 2024, 11, 4, 4, "2024-11-28"],
    ["last Monday of May 2021 (May 31)", 2021, 5, 1, -1, "2021-05-31"],
    ["last Thursday of December 2026", 2026, 12, 4, -1, "2026-12-31"],
  ])("finds the %s", (_name, year, month, dayOfWeek, n, expected) => {
    expect(nthWeekday(year, month, dayOfWeek, n)).toBe(expected);
  });
});

describe("nyseHolidays", () => {
  it("lists the ten 2024 holidays on their observed dates", () => {
    expect([...nyseHolidays(2024).keys()]).toEqual([
      "2024-01-01",
      "2024-01-15",
      "2024-02-19",
      "2024-03-29",
      "2024-05-27",
      "2024-06-19",
      "2024-07-04",
      "2024-09-02",
      "2024-11-28",
      "2024-12-25",
    ]);
  });

  it("does not observe a Saturday New Year's Day on the Friday that ends the year", () => {
    expect(nyseHolidays(2022).has("2021-12-31")).toBe(false);
    expect([...nyseHolidays(2022).values()]).not.toContain("New Year's Day");
  });

  it("has no Juneteenth before 2022", () => {
    expect([...nyseHolidays(2021).values()]).not.toContain("Juneteenth");
    expect(nyseHolidays(2022).get("2022-06-20")).toBe("Juneteenth");
  });
});

describe("inCalendarYears", () => {
  it.each([
    ["2000-12-29", false],
    [`${CALENDAR_YEARS.first}-01-02`, true],
    ["2024-03-04", true],
    [`${CALENDAR_YEARS.last}-12-31`, true],
    ["2100-01-04", false],
    ["0000-01-01", false],
  ])("says whether %s is a year the calendar answers for (%s)", (date, expected) => {
    expect(inCalendarYears(date)).toBe(expected);
  });
});

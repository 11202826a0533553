import { describe, expect, it } from "vitest";
import { formatExchangeTime, toExchangeChartTime } from "./exchange-time.js";

const wallClock = (iso: string) => Date.parse(`${iso}Z`) / 1000;

describe("toExchangeChartTime", () => {
  it("shows the winter open (EST, UTC-5) as 09:30", () => {
    expect(toExchangeChartTime("2024-01-16T14:30:00.000Z")).toBe(wallClock("2024-01-16T09:30:00"));
  });

  it("shows the summer open (EDT, UTC-4) as 09:30", () => {
    expect(toExchangeChartTime("2024-07-16T13:30:00Z")).toBe(wallClock("2024-07-16T09:30:00"));
  });

  it("uses EST on the Friday before clocks spring forward and EDT on the Monday after", () => {
    expect(toExchangeChartTime("2024-03-08T20:59:00Z")).toBe(wallClock("2024-03-08T15:59:00"));
    expect(toExchangeChartTime("2024-03-11T13:30:00Z")).toBe(wallClock("2024-03-11T09:30:00"));
  });

  it("uses EDT on the Friday before clocks fall back and EST on the Monday after", () => {
    expect(toExchangeChartTime("2024-11-01T13:30:00Z")).toBe(wallClock("2024-11-01T09:30:00"));
    expect(toExchangeChartTime("2024-11-04T14:30:00Z")).toBe(wallClock("2024-11-04T09:30:00"));
  });

  it("keeps the New York date when the UTC date has already rolled over", () => {
    expect(toExchangeChartTime(new Date("2024-03-05T02:00:00Z"))).toBe(wallClock("2024-03-04T21:00:00"));
  });
});

describe("formatExchangeTime", () => {
  it("formats an instant in New York time", () => {
    expect(formatExchangeTime("2024-07-16T13:30:00Z")).toBe("Jul 16, 09:30");
  });
});

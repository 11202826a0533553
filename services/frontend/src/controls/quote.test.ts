import { describe, expect, it } from "vitest";
import type { Candle, TickerSummary } from "../contracts.js";
import { liveQuote, quotesOn } from "./quote.js";

const summary = (
  ticker: string,
  date: string,
  lastPrice: number,
  previousClose: number | null,
): TickerSummary => ({
  ticker,
  date,
  lastPrice,
  previousClose,
  change: previousClose === null ? null : lastPrice - previousClose,
  changePercent: previousClose === null ? null : ((lastPrice - previousClose) / previousClose) * 100,
  lastBarAt: `${date}T20:59:00.000Z`,
});

const bar = (t: string, close: number): Candle => ({
  t,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
  ema9: null,
});

describe("liveQuote", () => {
  const day = summary("AAPL", "2024-03-04", 110, 100);

  it("is the day's summary while no bar is on the chart", () => {
    expect(liveQuote(day, "2024-03-04", undefined)).toEqual({
      lastPrice: 110,
      change: 10,
      changePercent: 10,
    });
  });

  it("follows the newest bar on the chart, against the same previous close", () => {
    const bars = [bar("2024-03-04T20:58:00.000Z", 110), bar("2024-03-04T20:59:00.000Z", 95)];
    expect(liveQuote(day, "2024-03-04", bars)).toEqual({ lastPrice: 95, change: -5, changePercent: -5 });
  });

  it("says nothing of a day the summary is not of (another day is being loaded)", () => {
    expect(liveQuote(day, "2024-03-05", [bar("2024-03-05T14:30:00.000Z", 120)])).toBeUndefined();
    expect(liveQuote(undefined, "2024-03-04", undefined)).toBeUndefined();
  });

  it("has no change without a previous close", () => {
    expect(liveQuote(summary("AAPL", "2024-03-04", 110, null), "2024-03-04", [])).toEqual({
      lastPrice: 110,
      change: null,
      changePercent: null,
    });
  });
});

describe("quotesOn", () => {
  it("keeps the tickers with a bar on that day, by ticker", () => {
    const quotes = quotesOn("2024-03-04", [
      summary("AAPL", "2024-03-04", 110, 100),
      summary("IBM", "2024-03-01", 50, 49),
    ]);
    expect([...quotes.keys()]).toEqual(["AAPL"]);
    expect(quotes.get("AAPL")).toMatchObject({ lastPrice: 110, change: 10 });
  });
});

import { describe, expect, it } from "vitest";
import { QuoteBarBuilder } from "./quote-bar-builder.js";

const t = (hms: string) => new Date(`2024-03-05T${hms}Z`);

describe("QuoteBarBuilder", () => {
  it("builds one bar per minute: first price opens, last closes, extremes bound it, volume 0", () => {
    const builder = new QuoteBarBuilder("finnhub");
    const quotes: [string, number][] = [
      ["15:00:05", 100],
      ["15:00:20", 102],
      ["15:00:35", 99],
      ["15:00:50", 101],
      ["15:01:05", 103],
    ];
    for (const [time, price] of quotes) builder.add("AAPL", price, t(time));
    expect(builder.completed("AAPL", t("15:01:10"))).toEqual([
      {
        ticker: "AAPL",
        start: "2024-03-05T15:00:00.000Z",
        open: 100,
        high: 102,
        low: 99,
        close: 101,
        volume: 0,
        source: "finnhub",
      },
    ]);
  });

  it("keeps the minute in progress open", () => {
    const builder = new QuoteBarBuilder("finnhub");
    builder.add("AAPL", 100, t("15:00:05"));
    expect(builder.completed("AAPL", t("15:00:59"))).toEqual([]);
    expect(builder.completed("AAPL", t("15:01:00"))).toHaveLength(1);
  });

  it("hands each bar out once", () => {
    const builder = new QuoteBarBuilder("finnhub");
    builder.add("AAPL", 100, t("15:00:05"));
    expect(builder.completed("AAPL", t("15:02:00"))).toHaveLength(1);
    expect(builder.completed("AAPL", t("15:02:00"))).toEqual([]);
  });

  it("ignores a late quote for a minute already handed out", () => {
    const builder = new QuoteBarBuilder("finnhub");
    builder.add("AAPL", 100, t("15:00:05"));
    builder.completed("AAPL", t("15:01:00"));
    builder.add("AAPL", 90, t("15:00:59"));
    expect(builder.completed("AAPL", t("15:05:00"))).toEqual([]);
  });

  it("keeps tickers apart and returns several minutes in time order", () => {
    const builder = new QuoteBarBuilder("finnhub");
    builder.add("MSFT", 400, t("15:01:10"));
    builder.add("AAPL", 100, t("15:01:10"));
    builder.add("MSFT", 401, t("15:00:10"));
    expect(builder.completed("MSFT", t("15:02:00")).map((b) => [b.start, b.open])).toEqual([
      ["2024-03-05T15:00:00.000Z", 401],
      ["2024-03-05T15:01:00.000Z", 400],
    ]);
    expect(builder.completed("AAPL", t("15:02:00"))).toHaveLength(1);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("ignores the unusable price %s", (price) => {
    const builder = new QuoteBarBuilder("finnhub");
    builder.add("AAPL", price, t("15:00:05"));
    expect(builder.completed("AAPL", t("15:05:00"))).toEqual([]);
  });
});

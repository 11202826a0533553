import { describe, expect, it } from "vitest";
import { ReplaySource } from "./replay-source.js";

describe("ReplaySource", () => {
  const source = new ReplaySource("hdp");

  it("returns the bars inside [from, to) only", async () => {
    const bars = await source.fetchBars({
      ticker: "AAPL",
      from: new Date("2024-03-05T15:00:00Z"),
      to: new Date("2024-03-05T15:03:00Z"),
    });
    expect(bars.map((b) => b.start)).toEqual([
      "2024-03-05T15:00:00.000Z",
      "2024-03-05T15:01:00.000Z",
      "2024-03-05T15:02:00.000Z",
    ]);
  });

  it("spans several days, skipping closed ones", async () => {
    const bars = await source.fetchBars({
      ticker: "AMD",
      from: new Date("2024-03-28T00:00:00Z"),
      to: new Date("2024-04-02T00:00:00Z"),
    });
    expect(bars).toHaveLength(2 * 390);
  });

  it("returns the same answer to the same question", async () => {
    const request = {
      ticker: "TSLA",
      from: new Date("2024-03-04T00:00:00Z"),
      to: new Date("2024-03-06T00:00:00Z"),
    };
    expect(await new ReplaySource("hdp").fetchNews(request)).toEqual(await source.fetchNews(request));
    expect(await new ReplaySource("hdp").fetchBars(request)).toEqual(await source.fetchBars(request));
  });

  it("returns news newest first, within the range, each id once", async () => {
    const from = new Date("2024-03-04T00:00:00Z");
    const to = new Date("2024-03-09T00:00:00Z");
    const articles = await source.fetchNews({ ticker: "AAPL", from, to });
    expect(articles.length).toBeGreaterThan(5);
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
    const times = articles.map((a) => Date.parse(a.publishedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(times.every((t) => t >= from.getTime() && t < to.getTime())).toBe(true);
  });
});

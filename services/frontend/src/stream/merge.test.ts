import { describe, expect, it } from "vitest";
import type { Candle, NewsItem } from "../contracts.js";
import { mergeBar, mergeNews } from "./merge.js";

const bar = (minute: number, close = 100): Candle => ({
  t: `2024-07-16T13:${String(30 + minute).padStart(2, "0")}:00.000Z`,
  open: 100,
  high: 101,
  low: 99,
  close,
  volume: 10,
  ema9: null,
});
const minutes = (bars: readonly Candle[]) => bars.map((b) => b.t.slice(14, 16));

describe("mergeBar", () => {
  const day = [bar(0), bar(1), bar(2)];

  it("replaces the bar of a minute already present", () => {
    const merged = mergeBar(day, bar(2, 105));
    expect(minutes(merged)).toEqual(["30", "31", "32"]);
    expect(merged[2]?.close).toBe(105);
  });

  it("matches the minute by instant, not by how the timestamp is written", () => {
    const merged = mergeBar(day, { ...bar(1, 99), t: "2024-07-16T13:31:00Z" });
    expect(merged).toHaveLength(3);
    expect(merged[1]?.close).toBe(99);
  });

  it("appends a newer bar", () => {
    expect(minutes(mergeBar(day, bar(3)))).toEqual(["30", "31", "32", "33"]);
  });

  it("inserts a late, older bar at its place", () => {
    expect(minutes(mergeBar([bar(0), bar(2)], bar(1)))).toEqual(["30", "31", "32"]);
    expect(minutes(mergeBar([bar(1), bar(2)], bar(0)))).toEqual(["30", "31", "32"]);
  });

  it("starts an empty day", () => {
    expect(minutes(mergeBar([], bar(0)))).toEqual(["30"]);
  });

  it("leaves the original list untouched", () => {
    mergeBar(day, bar(3));
    expect(day).toHaveLength(3);
  });
});

const article = (id: string, publishedAt: string, label: "neutral" | null = null): NewsItem => ({
  id,
  publishedAt,
  title: `title ${id}`,
  author: null,
  url: `https://example.com/${id}`,
  description: null,
  publisher: "Example",
  tickers: ["AAPL"],
  keywords: [],
  imageUrl: null,
  sentiment: label === null ? null : { label, score: 0, model: "vader" },
});

describe("mergeNews", () => {
  const list = [article("b", "2024-07-16T15:00:00Z"), article("a", "2024-07-16T14:00:00Z")];

  it("prepends a newer article", () => {
    expect(mergeNews(list, article("c", "2024-07-16T16:00:00Z")).map((n) => n.id)).toEqual(["c", "b", "a"]);
  });

  it("replaces an article already listed, for example once it is scored", () => {
    const merged = mergeNews(list, article("a", "2024-07-16T14:00:00Z", "neutral"));
    expect(merged.map((n) => n.id)).toEqual(["b", "a"]);
    expect(merged[1]?.sentiment?.label).toBe("neutral");
  });

  it("keeps newest first when an older article arrives late", () => {
    expect(mergeNews(list, article("z", "2024-07-16T14:30:00Z")).map((n) => n.id)).toEqual(["b", "z", "a"]);
    expect(mergeNews(list, article("y", "2024-07-16T13:00:00Z")).map((n) => n.id)).toEqual(["b", "a", "y"]);
  });
});

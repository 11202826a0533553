import { describe, expect, it } from "vitest";
import { TOPICS, validateMessage } from "@hdp/shared";
import { HEADLINES, HEADLINE_SENTIMENTS, fillTemplate, mentionsOther } from "./headlines.js";
import { replayArticlesMentioning, replayDayArticles } from "./replay-news.js";
import { REPLAY_TICKERS } from "./ticker-profiles.js";

const march = Array.from({ length: 20 }, (_, i) => `2024-03-${String(i + 1).padStart(2, "0")}`);

describe("the shipped headlines", () => {
  it("has at least 60 templates, of every sentiment, some naming a second company", () => {
    expect(HEADLINES.headlines.length).toBeGreaterThanOrEqual(60);
    for (const sentiment of HEADLINE_SENTIMENTS) {
      expect(HEADLINES.headlines.filter((h) => h.sentiment === sentiment).length).toBeGreaterThanOrEqual(15);
    }
    expect(HEADLINES.headlines.filter(mentionsOther).length).toBeGreaterThanOrEqual(5);
  });

  it("uses only known placeholders", () => {
    for (const h of HEADLINES.headlines) {
      const placeholders = `${h.title} ${h.description}`.match(/\{\w+\}/g) ?? [];
      for (const p of placeholders)
        expect(["{ticker}", "{company}", "{other}", "{otherCompany}", "{pct}", "{quarter}"]).toContain(p);
    }
  });
});

describe("fillTemplate", () => {
  it.each([
    ["{company} ({ticker}) beats", { company: "Apple", ticker: "AAPL" }, "Apple (AAPL) beats"],
    ["{ticker} and {other}", { ticker: "AAPL", other: "MSFT" }, "AAPL and MSFT"],
    ["{unknown} stays", {}, "{unknown} stays"],
  ])("fills %j", (template, values, expected) => {
    expect(fillTemplate(template, values)).toBe(expected);
  });
});

describe("replayDayArticles", () => {
  it("is deterministic, with stable ids replay-<ticker>-<date>-<n>", () => {
    const a = replayDayArticles("hdp", "AAPL", "2024-03-05");
    expect(replayDayArticles("hdp", "AAPL", "2024-03-05")).toEqual(a);
    expect(a.map((x) => x.article.id)).toEqual(a.map((_, i) => `replay-AAPL-2024-03-05-${i + 1}`));
  });

  it("writes 2-4 articles on weekdays and at most one at weekends", () => {
    for (const date of march) {
      const count = replayDayArticles("hdp", "TSLA", date).length;
      const weekend = [0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay());
      if (weekend) expect(count).toBeLessThanOrEqual(1);
      else expect(count).toBeGreaterThanOrEqual(2);
    }
  });

  it("mixes positive, negative and neutral news over a few weeks", () => {
    const sentiments = new Set(
      REPLAY_TICKERS.flatMap((t) =>
        march.flatMap((d) => replayDayArticles("hdp", t, d).map((a) => a.sentiment)),
      ),
    );
    expect([...sentiments].sort()).toEqual(["negative", "neutral", "positive"]);
  });

  it("fills every placeholder and produces valid messages", () => {
    for (const date of march) {
      for (const { article } of replayDayArticles("hdp", "AMD", date)) {
        expect(`${article.title} ${article.description}`).not.toMatch(/\{\w+\}/);
        expect(validateMessage(TOPICS.news, article, Date.parse("2030-01-01")).ok).toBe(true);
      }
    }
  });

  it("pairs some articles with a second replay ticker, listing both", () => {
    const paired = REPLAY_TICKERS.flatMap((t) => march.flatMap((d) => replayDayArticles("hdp", t, d))).filter(
      (a) => a.article.tickers.length === 2,
    );
    expect(paired.length).toBeGreaterThan(0);
    for (const { article } of paired) {
      expect(article.tickers[0]).not.toBe(article.tickers[1]);
      expect(REPLAY_TICKERS).toContain(article.tickers[1]);
    }
  });
});

describe("replayArticlesMentioning", () => {
  it("includes another ticker's articles that name this ticker", () => {
    const all = march.flatMap((d) => replayArticlesMentioning("hdp", "MSFT", d));
    expect(all.every((a) => a.article.tickers.includes("MSFT"))).toBe(true);
    expect(all.some((a) => a.article.tickers[0] !== "MSFT")).toBe(true);
  });
});

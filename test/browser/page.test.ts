/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { candlesResponseSchema, tickerSummarySchema } from "@hdp/shared";
import { startLocalPipeline, type LocalPipeline } from "../../scripts/lib/local-pipeline.js";
import { DESKTOP, PHONE, hasChromium, keepScreenshot, launchChromium } from "./chromium.js";

/** A change as the page writes it: `+1.25` or `-0.50`. */
const signed = (change: number) => `${change > 0 ? "+" : ""}${change.toFixed(2)}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const quoteText = async (quote: Locator) => ((await quote.textContent()) ?? "").replace(/\s+/g, " ").trim();
const selectedTicker = (page: Page) =>
  page
    .getByLabel("Ticker")
    .evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? "");

describe.skipIf(!hasChromium)("the web page in Chromium, on the local run", () => {
  let pipeline: LocalPipeline;
  let browser: Browser;

  beforeAll(async () => {
    // A Wednesday mid-session: the three days before are backfilled and "today" plays live,
    // ten times faster than real time (a replayed minute every 6 s: the freshness badge's
    // two minutes of slack are 12 real seconds of latency, which a busy machine stays within).
    pipeline = await startLocalPipeline({
      now: new Date("2024-03-06T16:00:00Z"),
      speed: 10,
      analyticsPort: 0,
      web: { apiPort: 0, webPort: 0 },
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });

  /** A new page showing MSFT on `date`, once its chart is drawn. */
  const openDay = async (date: string, viewport = DESKTOP) => {
    const page = await browser.newPage({ viewport, deviceScaleFactor: viewport === PHONE ? 2 : 1 });
    await page.goto(pipeline.web!.webUrl);
    await page.getByLabel("Ticker").selectOption({ value: "MSFT" });
    await page.getByLabel("Trading day").selectOption({ value: date });
    const chart = page.getByRole("img", { name: new RegExp(`^Candlestick chart of MSFT on ${date}`) });
    await chart.waitFor({ timeout: 30_000 });
    return { page, chart };
  };

  /** A JSON answer of the API, through the web page's port, checked against its contract. */
  const api = async <T>(path: string, schema: { parse(data: unknown): T }): Promise<T> =>
    schema.parse(await (await fetch(`${pipeline.web!.webUrl}api${path}`)).json());

  it("shows the chart with data, the news with sentiment labels, and a live bar arriving", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(pipeline.web!.webUrl);

    await page.getByLabel("Ticker").selectOption({ value: "MSFT" });
    await page.getByLabel("Trading day").selectOption({ value: "2024-03-05" });
    const chart = page.getByRole("img", {
      name: /Candlestick chart of MSFT on 2024-03-05, 390 one-minute bars/,
    });
    await chart.waitFor({ timeout: 30_000 });

    // lightweight-charts draws on canvases: some pixels must differ from the background.
    const painted = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>(".chart canvas")].reduce((count, canvas) => {
        const context = canvas.getContext("2d");
        if (!context || canvas.width === 0) return count;
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < pixels.length; i += 4 * 7) if (pixels[i]! > 0) drawn++;
        return count + drawn;
      }, 0),
    );
    expect(painted).toBeGreaterThan(1_000);

    const labels = page.locator(".news-item .sentiment:not(.sentiment--unscored)");
    await expect.poll(() => labels.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const texts = (await labels.allTextContents()).join(" ");
    expect(texts).toMatch(/positive|negative|neutral/);

    await keepScreenshot(page, "page.png");

    // Today (the session being replayed): its bar count grows while the page watches.
    await page.getByLabel("Trading day").selectOption({ value: "2024-03-06" });
    const todayChart = page.getByRole("img", { name: /Candlestick chart of MSFT on 2024-03-06/ });
    await todayChart.waitFor({ timeout: 30_000 });
    const bars = async () =>
      Number(/(\d+) one-minute bars/.exec((await todayChart.getAttribute("aria-label")) ?? "")?.[1]);
    const before = await bars();
    await expect.poll(bars, { timeout: 30_000, interval: 500 }).toBeGreaterThan(before);
    await keepScreenshot(page, "page-live.png");
  }, 120_000);

  // The badge reads /v1/status every 15 s; the API's clock is the replay's.
  const BADGE_TIMEOUT = 60_000;

  it("turns the badge red while processing is stopped and green again once it has caught up", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(pipeline.web!.webUrl);
    await page.getByLabel("Ticker").selectOption({ value: "MSFT" });
    const badge = page.locator(".badges .freshness");
    await expect.poll(() => badge.getAttribute("data-freshness"), { timeout: BADGE_TIMEOUT }).toBe("fresh");

    await pipeline.processing.stop();
    try {
      // Five replayed minutes without a bar are 30 real seconds at 10x; then a poll.
      await expect.poll(() => badge.getAttribute("data-freshness"), { timeout: BADGE_TIMEOUT }).toBe("stale");
      expect(await badge.getByRole("status").textContent()).toBe("Data stale");
      expect(await badge.evaluate((element) => getComputedStyle(element).color)).toBe("rgb(248, 81, 73)");
      expect(await badge.getAttribute("title")).toMatch(/^Newest MSFT bar ended \d+ min ago/);
      await keepScreenshot(page, "page-stale.png");
    } finally {
      await pipeline.processing.start();
    }
    await expect.poll(() => badge.getAttribute("data-freshness"), { timeout: BADGE_TIMEOUT }).toBe("fresh");
  }, 180_000);

  it("offers in the date menu only the days that have bars, today first", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(pipeline.web!.webUrl);
    await page.getByLabel("Ticker").selectOption({ value: "MSFT" });
    const offered = () =>
      page
        .getByLabel("Trading day")
        .evaluate((select: HTMLSelectElement) => [...select.options].map((o) => o.value));
    await expect
      .poll(offered, { timeout: 30_000 })
      .toEqual(["2024-03-06", "2024-03-05", "2024-03-04", "2024-03-01"]);
  }, 60_000);

  it("serves today's bars for revalidation while the replay's session runs, though the wall clock says the day is over", async () => {
    const candles = (date: string) =>
      fetch(`${pipeline.web!.webUrl}api/v1/candles?ticker=MSFT&date=${date}`).then((r) =>
        r.headers.get("cache-control"),
      );
    expect(await candles("2024-03-06")).toBe("no-cache");
    expect(await candles("2024-03-05")).toBe("public, max-age=86400");
  });

  it("shows the chosen day's last price and change in the header and the menu, and follows today's live bars", async () => {
    const { page } = await openDay("2024-03-05");
    const quote = page.getByLabel(/^Last price of MSFT on /);
    const [olderDay] = (await api("/v1/tickers?date=2024-03-05", tickerSummarySchema.array())).filter(
      (t) => t.ticker === "MSFT",
    );
    const older = `${olderDay!.lastPrice.toFixed(2)} ${signed(olderDay!.change!)}`;
    await expect
      .poll(() => quoteText(quote), { timeout: 30_000 })
      .toMatch(new RegExp(`^${escape(older)} \\(`));
    expect(await selectedTicker(page)).toMatch(
      new RegExp(`^MSFT · ${escape(older.replace(" ", " · "))} \\(`),
    );

    await page.getByLabel("Trading day").selectOption({ value: "2024-03-06" });
    await page.getByRole("img", { name: /^Candlestick chart of MSFT on 2024-03-06/ }).waitFor();
    await expect.poll(() => quoteText(quote), { timeout: 30_000 }).not.toBe("");
    const first = await quoteText(quote);
    // A replayed minute is 6 s: the header moves with the bars, to the newest bar's close.
    await expect.poll(() => quoteText(quote), { timeout: 60_000, interval: 500 }).not.toBe(first);
    const shown = Number((await quoteText(quote)).split(" ")[0]);
    const { candles } = await api("/v1/candles?ticker=MSFT&date=2024-03-06", candlesResponseSchema);
    expect(candles.slice(-3).map((c) => c.close.toFixed(2))).toContain(shown.toFixed(2));
    expect(await selectedTicker(page)).toContain(`MSFT · ${shown.toFixed(2)} · `);
  }, 120_000);

  it("keeps the whole session in view while its bars arrive, until the user zooms", async () => {
    const { page, chart } = await openDay("2024-03-06");
    const bars = async () =>
      Number(/(\d+) one-minute bars/.exec((await chart.getAttribute("aria-label")) ?? "")?.[1]);
    const visible = async () =>
      ((await chart.getAttribute("data-visible-range")) ?? "").split("..").map(Number);
    // 390 minutes from 09:30 to 16:00: slots 0 to 389, bars or minutes still to come.
    const wholeSession = async () => {
      const [from = NaN, to = NaN] = await visible();
      return from <= 0 && to >= 389 && to - from < 420;
    };
    await expect.poll(wholeSession, { timeout: 10_000 }).toBe(true);
    const before = await bars();
    await expect.poll(bars, { timeout: 30_000, interval: 500 }).toBeGreaterThan(before);
    expect(await wholeSession()).toBe(true);
    expect(await chart.getAttribute("data-view")).toBe("session");
    await keepScreenshot(page, "page-live-session.png");

    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(() => chart.getAttribute("data-view")).toBe("user");
    await expect.poll(wholeSession).toBe(false);
    const zoomed = await visible();
    const zoomedAt = await bars();
    await expect.poll(bars, { timeout: 30_000, interval: 500 }).toBeGreaterThan(zoomedAt);
    expect(await visible()).toEqual(zoomed);
  }, 120_000);

  it("credits the chart library beside the chart instead of its logo over the volume bars, and fits a phone", async () => {
    const { page } = await openDay("2024-03-05", PHONE);
    expect(await page.locator('.chart a[href*="tradingview"]').count()).toBe(0);
    const credit = page.locator(".chart-credit");
    expect(await credit.getAttribute("href")).toBe("https://www.tradingview.com/");
    expect(await credit.textContent()).toContain("TradingView Lightweight Charts");
    await keepScreenshot(page, "page-phone.png");
  }, 60_000);

  // Last, so that the screenshot kept as the badge's artifact shows a good part of the session.
  it("shows a green freshness badge next to the Live badge while the replay is current, the newest bar's age in its tooltip", async () => {
    const { page } = await openDay("2024-03-06");

    const badge = page.locator(".badges .freshness");
    await expect.poll(() => badge.getAttribute("data-freshness"), { timeout: BADGE_TIMEOUT }).toBe("fresh");
    expect(await badge.getByRole("status").textContent()).toBe("Data fresh");
    expect(await badge.evaluate((element) => getComputedStyle(element).color)).toBe("rgb(63, 185, 80)");
    const tooltip = (await badge.getAttribute("title")) ?? "";
    expect(tooltip).toMatch(
      /^Newest MSFT bar ended \d+ (s|min) ago \(Mar 6, \d\d:\d\d ET\)\. Market open\.$/,
    );
    // The same words for screen readers, beside the live region.
    expect(await badge.locator(".visually-hidden").textContent()).toBe(`: ${tooltip}`);
    await expect.poll(() => page.locator(".badges .live").textContent(), { timeout: 30_000 }).toBe("Live");

    await keepScreenshot(page, "page-freshness.png");
    await page
      .locator(".panel--chart .panel-heading")
      .screenshot({ path: "test-results/freshness-badge.png" });
  }, 120_000);
});

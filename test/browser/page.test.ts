/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalPipeline, type LocalPipeline } from "../../scripts/lib/local-pipeline.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === "true")
  throw new Error(`Chromium required in CI: ${CHROMIUM} not found`);
if (!hasChromium)
  console.error(`\n*** Browser test SKIPPED — no Chromium at ${CHROMIUM} (apt-get install chromium)\n`);

/** Flags for a headless Chromium on a machine without network access. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe.skipIf(!hasChromium)("the web page in Chromium, on the local run", () => {
  let pipeline: LocalPipeline;
  let browser: Browser;

  beforeAll(async () => {
    // A Wednesday mid-session: the three days before are backfilled and "today" plays live.
    pipeline = await startLocalPipeline({
      now: new Date("2024-03-06T16:00:00Z"),
      speed: 30,
      analyticsPort: 0,
      web: { apiPort: 0, webPort: 0 },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });

  it("shows the chart with data, the news with sentiment labels, and a live bar arriving", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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

    await mkdir("test-results", { recursive: true });
    await page.screenshot({ path: "test-results/page.png", fullPage: true });

    // Today (the session being replayed): its bar count grows while the page watches.
    await page.getByLabel("Trading day").selectOption({ value: "2024-03-06" });
    const todayChart = page.getByRole("img", { name: /Candlestick chart of MSFT on 2024-03-06/ });
    await todayChart.waitFor({ timeout: 30_000 });
    const bars = async () =>
      Number(/(\d+) one-minute bars/.exec((await todayChart.getAttribute("aria-label")) ?? "")?.[1]);
    const before = await bars();
    await expect.poll(bars, { timeout: 30_000, interval: 500 }).toBeGreaterThan(before);
    await page.screenshot({ path: "test-results/page-live.png", fullPage: true });
  }, 120_000);
});

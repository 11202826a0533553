import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium, or the one named by CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Whether the browser suites can run; without Chromium they are skipped with a notice (a failure in CI). */
export const hasChromium = existsSync(CHROMIUM);
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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** The viewports the page is checked at: a desktop and a phone (an iPhone 12's CSS size). */
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Keeps a screenshot in `test-results/` for a person to look at (see test/README.md). */
export async function keepScreenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await mkdir("test-results", { recursive: true });
  await page.screenshot({ path: `test-results/${name}`, fullPage });
}

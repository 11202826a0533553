/// <reference lib="dom" />
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@hdp/shared";
import { startLocalWeb, type LocalWeb } from "../../scripts/lib/local-web.js";
import { createTestDatabase, type TestDatabase } from "../setup/database.js";
import { DESKTOP, hasChromium, keepScreenshot, launchChromium } from "./chromium.js";

// The API's two doc pages, opened as a user would: on the API's own port and through the web
// page's port (the API under /api, as behind the cluster's ingress).
describe.skipIf(!hasChromium)("the API docs in Chromium, on the API's port and through the web port", () => {
  let db: TestDatabase;
  let web: LocalWeb;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase();
    web = await startLocalWeb({
      databaseUrl: db.url,
      poolSize: 1,
      apiPort: 0,
      webPort: 0,
      logger: createLogger({ service: "test", level: "silent" }),
      log: () => {},
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await db?.close();
  });

  const bases = () => ({ api: `${web.apiUrl}/`, web: `${web.webUrl}api/` });

  it.each(["api", "web"] as const)(
    "Swagger UI renders the operations and its assets load (%s port), and Try it out reaches the API",
    async (port) => {
      const page = await browser.newPage({ viewport: DESKTOP });
      const failed: string[] = [];
      page.on("response", (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${bases()[port]}docs`);
      const tickers = page.locator("#operations-market-get_v1_tickers");
      await tickers.waitFor({ timeout: 30_000 });
      expect(await page.locator(".opblock").count()).toBeGreaterThan(5);
      expect(new URL(page.url()).pathname).toMatch(/\/docs\/$/);

      await tickers.click();
      await page.getByRole("button", { name: "Try it out" }).click();
      // Try it out fills in the documented examples (the `date` query parameter's).
      const answer = page.waitForResponse((response) =>
        new URL(response.url()).pathname.endsWith("/v1/tickers"),
      );
      await page.getByRole("button", { name: "Execute" }).click();
      const response = await answer;
      expect(response.url().split("?")[0]).toBe(`${bases()[port]}v1/tickers`);
      expect(response.status()).toBe(200);
      expect(failed).toEqual([]);
      await keepScreenshot(page, `docs-swagger-${port}.png`, false);
    },
    60_000,
  );

  it.each(["api", "web"] as const)(
    "ReDoc renders the reference from the same document (%s port)",
    async (port) => {
      const page = await browser.newPage({ viewport: DESKTOP });
      await page.goto(`${bases()[port]}redoc`);
      await page.getByRole("heading", { name: /Hybrid data pipeline API/ }).waitFor({ timeout: 30_000 });
      await expect
        .poll(() => page.getByText("One-minute bars with EMA9 for a session or a time range").count())
        .toBeGreaterThan(0);
      await keepScreenshot(page, `docs-redoc-${port}.png`, false);
    },
    60_000,
  );
});

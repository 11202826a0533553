import { describe, expect, it, vi } from "vitest";
import { TOPICS, createLogger, createPool, exchangeTime } from "@hdp/shared";
import type { MiddleTierApp } from "../app.js";
import { COMPLETE_DAY, DAY_1, DAY_2, buildTestApp, useSeededApp } from "../test-support.js";

const seeded = useSeededApp((pool) => buildTestApp(pool, { statusCacheMs: 0 }));

/** The samples of metric `name` in Prometheus text, keyed by their label text (`ticker="AAPL"`, or ""). */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] === name) found.set(match[2] ?? "", Number(match[3]));
  }
  return found;
}

async function scrape(app: MiddleTierApp): Promise<string> {
  const response = await app.inject({ method: "GET", url: "/metrics" });
  expect(response.statusCode).toBe(200);
  return response.body;
}

/** One scrape of an app over the seeded database whose clock reads `now`. */
async function scrapeAt(now: Date): Promise<string> {
  const app = buildTestApp(seeded.db.pool, { now, statusCacheMs: 0 });
  try {
    return await scrape(app);
  } finally {
    await app.close();
  }
}

describe("market session gauges, on the app's clock and the shared calendar", () => {
  it("report a session in progress and the seconds since its open (DAY_2, 10:00 New York)", async () => {
    const text = await scrape(seeded.app);
    expect(samples(text, "market_session_open")).toEqual(new Map([['exchange="XNYS"', 1]]));
    expect(samples(text, "market_session_elapsed_seconds")).toEqual(new Map([['exchange="XNYS"', 1_800]]));
  });

  it.each([
    [exchangeTime(DAY_2, 9, 29), "a minute before the open"],
    [exchangeTime(DAY_1, 16, 0), "at the close"],
    [exchangeTime("2024-03-09", 11, 0), "on a Saturday"],
    [exchangeTime("2024-03-29", 11, 0), "on Good Friday"],
    [exchangeTime("2024-11-29", 13, 30), "after the 13:00 close of a half day"],
  ])("report a closed exchange and 0 s elapsed at %s (%s)", async (now) => {
    const text = await scrapeAt(now);
    expect(samples(text, "market_session_open")).toEqual(new Map([['exchange="XNYS"', 0]]));
    expect(samples(text, "market_session_elapsed_seconds")).toEqual(new Map([['exchange="XNYS"', 0]]));
  });

  it("report the half day open at 12:59", async () => {
    const text = await scrapeAt(exchangeTime("2024-11-29", 12, 59));
    expect(samples(text, "market_session_open").get('exchange="XNYS"')).toBe(1);
    expect(samples(text, "market_session_elapsed_seconds").get('exchange="XNYS"')).toBe(12_540);
  });
});

describe("freshness gauges, read from the database at scrape time", () => {
  it("report each followed ticker's newest-bar age and the newest scored article's", async () => {
    const text = await scrape(seeded.app);
    // Newest bars start 09:41 and end 09:42 New York: 18 minutes before 10:00.
    expect(samples(text, "api_last_bar_age_seconds")).toEqual(
      new Map([
        ['ticker="AAPL"', 1_080],
        ['ticker="MSFT"', 1_080],
      ]),
    );
    expect(samples(text, "api_last_article_age_seconds")).toEqual(new Map([["", 1_200]]));
  });

  it("report the dead letters of the last hour by topic, 0 for a topic without any", async () => {
    const pool = seeded.db.pool;
    const recent = new Date(exchangeTime(DAY_2, 10, 0).getTime() - 10 * 60_000);
    for (const offset of ["7", "8"]) {
      await pool.query(
        `INSERT INTO dead_letters (topic, partition, "offset", reason, failed_at) VALUES ($1, 1, $2, 'sanity', $3)`,
        [TOPICS.bars, offset, recent],
      );
    }
    try {
      expect(samples(await scrape(seeded.app), "api_dead_letters_last_hour")).toEqual(
        new Map([
          [`topic="${TOPICS.bars}"`, 2],
          [`topic="${TOPICS.news}"`, 0],
          [`topic="${TOPICS.sensors}"`, 0],
        ]),
      );
    } finally {
      await pool.query("DELETE FROM dead_letters");
    }
  });

  it("query the database at most once per interval however often /metrics and /v1/status are read", async () => {
    const app = buildTestApp(seeded.db.pool, { statusCacheMs: 60_000 });
    const query = vi.spyOn(seeded.db.pool, "query");
    try {
      await Promise.all([scrape(app), scrape(app), app.inject({ method: "GET", url: "/v1/status" })]);
      await scrape(app);
      // One snapshot: the newest bars, the newest scored article, the dead letters.
      expect(query).toHaveBeenCalledTimes(3);
    } finally {
      query.mockRestore();
      await app.close();
    }
  });

  it("are left out, the rest kept, and the failure logged once, while the database is unreachable", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: "test",
      level: "info",
      destination: { write: (l) => lines.push(l) },
    });
    const unreachable = createPool("postgres://nobody@127.0.0.1:1/none", { max: 1 });
    unreachable.on("error", () => {});
    const app = buildTestApp(unreachable, { statusCacheMs: 0, logger });
    try {
      const first = await scrape(app);
      const second = await scrape(app);
      for (const text of [first, second]) {
        expect(samples(text, "api_last_bar_age_seconds").size).toBe(0);
        expect(samples(text, "api_last_article_age_seconds").size).toBe(0);
        expect(samples(text, "api_dead_letters_last_hour").size).toBe(0);
        expect(samples(text, "market_session_open").get('exchange="XNYS"')).toBe(1);
        expect(samples(text, "api_stream_clients").get("")).toBe(0);
      }
      const warnings = lines.filter((line) => line.includes("status gauges left out of /metrics"));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!)).toMatchObject({ level: "warn", err: { message: expect.any(String) } });
    } finally {
      await app.close();
      await unreachable.end();
    }
  });
});

describe("request metrics of the API's own", () => {
  it("count the closed-day cache, ETag revalidations and gzip encodings, hit and miss", async () => {
    const app = buildTestApp(seeded.db.pool);
    try {
      const url = `/v1/candles?ticker=AAPL&date=${COMPLETE_DAY}`;
      const first = await app.inject({ method: "GET", url }); // closed_day miss
      const etag = first.headers.etag as string;
      await app.inject({ method: "GET", url, headers: { "if-none-match": etag } }); // closed_day hit, etag hit
      await app.inject({ method: "GET", url, headers: { "if-none-match": 'W/"old"' } }); // closed_day hit, etag miss
      await app.inject({ method: "GET", url, headers: { "accept-encoding": "gzip" } }); // closed_day hit, gzip miss
      await app.inject({ method: "GET", url, headers: { "accept-encoding": "gzip" } }); // closed_day hit, gzip hit
      expect(samples(await scrape(app), "api_cache_requests_total")).toEqual(
        new Map([
          ['cache="closed_day",result="hit"', 4],
          ['cache="closed_day",result="miss"', 1],
          ['cache="etag",result="hit"', 1],
          ['cache="etag",result="miss"', 1],
          ['cache="gzip",result="hit"', 1],
          ['cache="gzip",result="miss"', 1],
        ]),
      );
    } finally {
      await app.close();
    }
  });

  it("count requests by route pattern, a path no route matches as `unmatched`", async () => {
    const app = buildTestApp(seeded.db.pool);
    try {
      await app.inject({ method: "GET", url: `/v1/candles?ticker=AAPL&date=${DAY_1}` });
      await app.inject({ method: "GET", url: "/wp-login.php" });
      await app.inject({ method: "GET", url: "/v1/nope" });
      const requests = samples(await scrape(app), "http_requests_total");
      expect(requests.get('method="GET",route="/v1/candles",status_code="200"')).toBe(1);
      expect(requests.get('method="GET",route="unmatched",status_code="404"')).toBe(2);
    } finally {
      await app.close();
    }
  });

  it("count the live-stream clients while they are connected", async () => {
    const app = buildTestApp(seeded.db.pool);
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const clients = async () => samples(await scrape(app), "api_stream_clients").get("");
    try {
      expect(await clients()).toBe(0);
      const controllers = [new AbortController(), new AbortController()];
      for (const controller of controllers) {
        const response = await fetch(`${base}/v1/stream?ticker=AAPL`, { signal: controller.signal });
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let text = "";
        while (!text.includes(": following")) text += (await reader.read()).value ?? "";
      }
      expect(await clients()).toBe(2);
      controllers[0]!.abort();
      await expect.poll(clients, { timeout: 5_000 }).toBe(1);
      controllers[1]!.abort();
      await expect.poll(clients, { timeout: 5_000 }).toBe(0);
    } finally {
      await app.close();
    }
  });
});

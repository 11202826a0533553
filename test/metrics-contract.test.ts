/**
 * Every service's documented metrics (the `## Metrics` table of its README) are what
 * its real `/metrics` exports: same names, types and label names, nothing exported
 * that is not documented (prom-client's default process metrics aside). Each service
 * is built as it runs and made to report at least one series of every labelled metric.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryBus, TOPICS, createLogger, startMetricsServer, type SentimentItem } from "@hdp/shared";
import { startProcessingService } from "@hdp/processing";
import { createSensorMetrics, readSensor, runSensorLoop } from "@hdp/ingestion";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp as buildAnalyticsApp } from "../services/analytics/src/test-support.js";
import { DAY_1, useSeededApp } from "../services/middle-tier/src/test-support.js";
import { createTestDatabase, type TestDatabase } from "./setup/database.js";
import { validBar } from "./support/bars.js";
import { checkMetricsContract, parseExposition, parseMetricsTable } from "./support/metrics-contract.js";

const logger = createLogger({ service: "metrics-contract", level: "silent" });

function readme(service: string): Promise<string> {
  return readFile(fileURLToPath(new URL(`../services/${service}/README.md`, import.meta.url)), "utf8");
}

/** What `url` answers, which must be a 200. */
async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.text();
}

describe("processing exports the metrics its README lists", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("on /metrics of its health port", async () => {
    const bus = new MemoryBus();
    const service = await startProcessingService({
      databaseUrl: db.url,
      bus,
      logger,
      migrateOnStart: false,
      poolSize: 1,
      scorer: {
        async score(items: readonly SentimentItem[]) {
          return items.map((i) => ({ id: i.id, score: 0, label: "neutral" as const, model: "stub@1" }));
        },
      },
      health: { host: "127.0.0.1", port: 0 },
    });
    try {
      // A bar gives the series labelled by source and the lag of its partition.
      const producer = await bus.producer();
      await producer.send(TOPICS.bars, [{ key: "AAPL", value: JSON.stringify(validBar()) }]);
      await expect
        .poll(() => service.metrics.barsStored.get().then((m) => m.values.length), { timeout: 20_000 })
        .toBe(1);
      const text = await scrape(`${service.healthUrl}/metrics`);
      expect(checkMetricsContract(await readme("processing"), parseExposition(text))).toEqual([]);
    } finally {
      await service.stop();
    }
  });
});

describe("analytics exports the metrics its README lists", () => {
  it("on /metrics", async () => {
    const app = buildAnalyticsApp();
    try {
      // A request gives the HTTP series; the model's own start at 0.
      const scored = await app.inject({
        method: "POST",
        url: "/v1/sentiment",
        payload: { articles: [{ id: "a", title: "Acme beats estimates" }] },
      });
      expect(scored.statusCode).toBe(200);
      const response = await app.inject({ method: "GET", url: "/metrics" });
      expect(response.statusCode).toBe(200);
      expect(checkMetricsContract(await readme("analytics"), parseExposition(response.body))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("middle-tier exports the metrics its README lists", () => {
  const seeded = useSeededApp();

  it("on /metrics of the API", async () => {
    const { app, db } = seeded;
    await db.pool.query(
      `INSERT INTO dead_letters (topic, partition, "offset", reason, failed_at) VALUES ($1, 0, '1', 'schema', now())`,
      [TOPICS.bars],
    );
    // Requests that go through each cache twice (a miss, then a hit), and the other routes' series.
    for (let i = 0; i < 2; i++) {
      for (const url of [
        `/v1/candles?ticker=AAPL&date=${DAY_1}`,
        "/v1/tickers",
        "/v1/news?ticker=AAPL",
        "/v1/status",
      ]) {
        const answer = await app.inject({ method: "GET", url, headers: { "accept-encoding": "gzip" } });
        expect(answer.statusCode, url).toBeLessThan(500);
      }
    }
    const response = await app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(checkMetricsContract(await readme("middle-tier"), parseExposition(response.body))).toEqual([]);
  });
});

describe("the sensor agent (ingest sensors) exports the metrics the ingestion README lists", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "metrics-contract-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("on /metrics of METRICS_PORT", async () => {
    const thermalPath = join(dir, "temp");
    const loadavgPath = join(dir, "loadavg");
    await writeFile(thermalPath, "45000\n");
    await writeFile(loadavgPath, "0.10 0.20 0.30 1/100 7\n");
    const sensor = { device: "pi-contract", thermalPath, loadavgPath };
    const metrics = createSensorMetrics(sensor.device);
    const server = await startMetricsServer({ host: "127.0.0.1", port: 0, registry: metrics.registry });
    try {
      const controller = new AbortController();
      await runSensorLoop({
        producer: await new MemoryBus().producer(),
        logger,
        sensor,
        intervalSeconds: 60,
        signal: controller.signal,
        metrics,
        read: async (options, now) => {
          const reading = await readSensor(options, now);
          controller.abort(); // one reading is enough
          return reading;
        },
      });
      const text = await scrape(`${server.url}/metrics`);
      expect(checkMetricsContract(await readme("ingestion"), parseExposition(text))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe("frontend", () => {
  it("documents that it exports no metrics (a static page served by nginx)", async () => {
    expect(parseMetricsTable(await readme("frontend"))).toEqual([]);
  });
});

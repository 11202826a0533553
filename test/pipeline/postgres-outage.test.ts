// PostgreSQL stopped for 10 seconds (a real server of the test's own), under a running processing service
// in the middle of a stream (the shared Kafka broker): /readyz turns false while it is down, no consumer
// offset passes what is stored, and once it is back every bar is stored exactly once. Under the middle-tier:
// /healthz answers throughout, /readyz and the data routes answer 503 with a JSON error at once, the live
// stream keeps its client and delivers again, and all of it recovers without a restart. Each prints one
// summary line with the figures.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPICS, createLogger, createPool, encodeMessage, migrate, type Pool } from "@hdp/shared";
import { requireKafka } from "../setup/kafka.js";
import { randomWalkBars } from "../support/bars.js";
import { requirePostgresServer, type PostgresServer } from "../setup/postgres-server.js";
import {
  connectAdmin,
  connectIsolatedBus,
  waitForCaughtUp,
  type IsolatedBus,
} from "../support/kafka-tools.js";
import { freePort } from "../../scripts/lib/ports.js";
import { buildApp, type MiddleTierApp } from "../../services/middle-tier/src/app.js";
import { DAY_2, NOW, seedDatabase } from "../../services/middle-tier/src/test-support.js";

const brokers = await requireKafka();
const server = brokers ? await requirePostgresServer() : undefined;
const apiServer = await requirePostgresServer();
const logger = createLogger({ service: "test", level: "silent" });
const PROCESSING = fileURLToPath(new URL("../../services/processing/src/server.ts", import.meta.url));
const OUTAGE_MS = 10_000;

describe.skipIf(!server)("PostgreSQL stopped for 10 s under processing (real server)", () => {
  const runId = randomBytes(3)
    .toString("hex")
    .toUpperCase()
    .replace(/[0-9]/g, (d) => "GHIJKLMNOP"[Number(d)]!);
  const groupId = `pg-outage-${runId}`;
  const tickers = [`PA${runId}`, `PB${runId}`, `PC${runId}`];
  let pg: PostgresServer;
  let pool: Pool;
  let kafka: IsolatedBus;
  let processing: ChildProcess | undefined;
  let healthPort: number;

  beforeAll(async () => {
    pg = server!;
    await migrate({ databaseUrl: pg.url });
    pool = createPool(pg.url, { max: 2 });
    pool.on("error", () => {});
    kafka = await connectIsolatedBus(brokers!, runId, logger);
    healthPort = await freePort();
    processing = spawn(process.execPath, ["--import", "tsx", PROCESSING], {
      env: {
        ...process.env,
        DATABASE_URL: pg.url,
        KAFKA_BROKERS: brokers,
        KAFKA_GROUP_ID: groupId,
        KAFKA_TOPIC_PREFIX: kafka.prefix,
        KAFKA_SESSION_TIMEOUT_MS: "6000",
        MIGRATE_ON_START: "false",
        DB_POOL_SIZE: "3",
        PORT: String(healthPort),
        LOG_LEVEL: "error",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }, 120_000);

  afterAll(async () => {
    processing?.kill("SIGKILL");
    await kafka?.close();
    await pool?.end().catch(() => {});
    await pg?.destroy();
  });

  const ready = async () =>
    (
      await fetch(`http://127.0.0.1:${healthPort}/readyz`, { signal: AbortSignal.timeout(5_000) }).catch(
        () => undefined,
      )
    )?.status;
  const stored = async (before?: Date) =>
    (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM bars WHERE ticker = ANY($1) AND ($2::timestamptz IS NULL OR stored_at < $2)`,
        [tickers, before ?? null],
      )
    ).rows[0]!.n;
  const committed = async () => {
    const admin = await connectAdmin(brokers!);
    try {
      const [topic] = await admin.fetchOffsets({ groupId, topics: [kafka.wire(TOPICS.bars)] });
      return (topic?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  };

  it("reports not ready while it is down, commits nothing unstored, and stores every bar exactly once after", async () => {
    await expect.poll(ready, { timeout: 60_000, interval: 200 }).toBe(200);
    const series = tickers.map((t, i) =>
      randomWalkBars(t, 2000, i + 1, { start: "2024-03-04T14:30:00Z", source: "outage-test" }),
    );
    const all = series.flat().sort((a, b) => a.start.localeCompare(b.start));
    let produced = 0;
    const stream = (async () => {
      for (let i = 0; i < all.length; i += 50) {
        const chunk = all.slice(i, i + 50);
        await kafka.producer.send(
          TOPICS.bars,
          chunk.map((b) => encodeMessage(TOPICS.bars, b)),
        );
        produced += chunk.length;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await expect.poll(() => stored(), { timeout: 60_000, interval: 100 }).toBeGreaterThan(600);

    await pg.stop();
    const stoppedAt = Date.now();
    const readiness: number[] = [];
    const commits: number[] = [];
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      readiness.push((await ready()) ?? 0);
      commits.push(await committed());
      await new Promise((r) => setTimeout(r, 500));
    }
    const restartedAt = new Date();
    await pg.start();

    // Back: the first new row, then the whole stream, caught up.
    const beforeRestart = await stored(restartedAt);
    await expect.poll(() => stored(), { timeout: 60_000, interval: 100 }).toBeGreaterThan(beforeRestart);
    const recoveryMs = Date.now() - restartedAt.getTime();
    await stream;
    await waitForCaughtUp(brokers!, groupId, [kafka.wire(TOPICS.bars)], 120_000);
    await expect.poll(ready, { timeout: 30_000, interval: 200 }).toBe(200);

    const rows = await pool.query<{ ticker: string; n: number; minutes: number }>(
      `SELECT ticker, count(*)::int AS n, count(DISTINCT start_at)::int AS minutes
         FROM bars WHERE ticker = ANY($1) GROUP BY ticker ORDER BY ticker`,
      [tickers],
    );
    const total = rows.rows.reduce((sum, r) => sum + r.n, 0);
    const duplicates = total - rows.rows.reduce((sum, r) => sum + r.minutes, 0);
    console.log(
      `postgres-outage: produced=${produced} stored=${total} duplicates=${duplicates} ` +
        `outage_ms=${OUTAGE_MS} recovery_ms=${recoveryMs} readyz_while_down=${[...new Set(readiness)].join("/")}`,
    );

    // Not ready for the whole outage (after the first probe's timeout at most), ready again after.
    expect(readiness.slice(1).every((status) => status === 503)).toBe(true);
    // Nothing committed beyond what was stored before the restart: those messages are not lost.
    expect(Math.max(...commits)).toBeLessThanOrEqual(beforeRestart);
    expect(produced).toBe(all.length);
    expect(rows.rows).toEqual(tickers.map((ticker) => ({ ticker, n: 2000, minutes: 2000 })));
    expect(recoveryMs).toBeLessThan(30_000);
  }, 180_000);
});

describe.skipIf(!apiServer)("PostgreSQL stopped for 10 s under the middle-tier (real server)", () => {
  let pg: PostgresServer;
  let pool: Pool;
  let app: MiddleTierApp;
  let base: string;

  beforeAll(async () => {
    pg = apiServer!;
    await migrate({ databaseUrl: pg.url });
    pool = createPool(pg.url, { max: 4 });
    pool.on("error", () => {});
    await seedDatabase(pool);
    app = buildApp({
      config: { corsOrigins: [] },
      logger: createLogger({ service: "middle-tier-test", level: "silent" }),
      pool,
      now: () => NOW,
      streamPollMs: 200,
    });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await pool?.end().catch(() => {});
    await pg?.destroy();
  });

  const DATA_ROUTES = [`/v1/tickers`, `/v1/candles?ticker=AAPL&date=${DAY_2}`, `/v1/news?ticker=AAPL`];
  /** Status, JSON body and time of one request, which must answer within 5 s. */
  const timed = async (path: string) => {
    const started = Date.now();
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    return {
      status: response.status,
      body: JSON.parse(text) as Record<string, unknown>,
      ms: Date.now() - started,
    };
  };

  it("answers /healthz, 503 on /readyz and the data routes, keeps the stream, and recovers without a restart", async () => {
    const before = await Promise.all(DATA_ROUTES.map(timed));
    expect(before.map((r) => r.status)).toEqual(DATA_ROUTES.map(() => 200));

    // A live-stream client, connected before the outage.
    const controller = new AbortController();
    const stream = await fetch(`${base}/v1/stream?ticker=AAPL`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = "";
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received += value;
      }
    })();
    await expect.poll(() => received, { timeout: 10_000 }).toContain(": following AAPL");

    await pg.stop();
    const stoppedAt = Date.now();
    const down: Awaited<ReturnType<typeof timed>>[] = [];
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      down.push(
        await timed("/healthz"),
        await timed("/readyz"),
        ...(await Promise.all(DATA_ROUTES.map(timed))),
      );
      await new Promise((r) => setTimeout(r, 500));
    }
    const restartedAt = Date.now();
    await pg.start();
    await expect
      .poll(async () => (await timed("/readyz")).status, { timeout: 30_000, interval: 100 })
      .toBe(200);
    const recoveryMs = Date.now() - restartedAt;

    // The stream client is still there, and gets a bar stored after the outage.
    await pool.query(
      `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
       VALUES ('AAPL', $1, 180, 181, 179, 180.5, 424242, 'outage-test', 180.1)`,
      [new Date(Date.parse(`${DAY_2}T14:30:00Z`) + 3 * 3600_000 + 17 * 60_000)],
    );
    await expect.poll(() => received, { timeout: 15_000, interval: 100 }).toContain('"volume":424242');
    const after = await Promise.all(DATA_ROUTES.map(timed));
    controller.abort();
    await reading;

    const slowest = Math.max(...down.map((r) => r.ms));
    console.log(
      `postgres-outage (middle-tier): requests_while_down=${down.length} slowest_ms=${slowest} ` +
        `outage_ms=${OUTAGE_MS} recovery_ms=${recoveryMs} stream_kept=true`,
    );
    const health = down.filter((_, i) => i % (DATA_ROUTES.length + 2) === 0);
    const readiness = down.filter((_, i) => i % (DATA_ROUTES.length + 2) === 1);
    const data = down.filter((_, i) => i % (DATA_ROUTES.length + 2) > 1);
    expect(health.every((r) => r.status === 200)).toBe(true);
    expect(readiness.every((r) => r.status === 503)).toBe(true);
    expect(data.length).toBeGreaterThan(10);
    for (const r of data) {
      expect(r.status).toBe(503);
      expect(r.body).toEqual({
        error: "Service Unavailable",
        message: expect.stringContaining("database"),
        statusCode: 503,
      });
    }
    expect(slowest).toBeLessThan(2_000);
    // Back without a restart, answering as before.
    expect(after.map((r) => r.status)).toEqual(DATA_ROUTES.map(() => 200));
    // (The news are what the outage and the new bar left alone.)
    expect(after[2]!.body).toEqual(before[2]!.body);
  }, 120_000);
});

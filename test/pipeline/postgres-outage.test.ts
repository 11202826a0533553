// PostgreSQL stopped for 10 seconds in the middle of a stream, under a running processing service (a real
// server of the test's own, the shared Kafka broker): /readyz turns false while it is down, no consumer
// offset passes what is stored, and once it is back every bar is stored exactly once. Prints one summary
// line with the figures (produced, stored, duplicates, recovery time).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPICS, createLogger, createPool, encodeMessage, migrate, type Bar, type Pool } from "@hdp/shared";
import { requireKafka } from "../setup/kafka.js";
import { requirePostgresServer, type PostgresServer } from "../setup/postgres-server.js";
import {
  connectAdmin,
  connectIsolatedBus,
  waitForCaughtUp,
  type IsolatedBus,
} from "../support/kafka-tools.js";
import { freePort } from "../../scripts/lib/ports.js";

const brokers = await requireKafka();
const server = brokers ? await requirePostgresServer() : undefined;
const logger = createLogger({ service: "test", level: "silent" });
const PROCESSING = fileURLToPath(new URL("../../services/processing/src/server.ts", import.meta.url));
const OUTAGE_MS = 10_000;

function walk(ticker: string, n: number, seed: number): Bar[] {
  let price = 40 + seed;
  return Array.from({ length: n }, (_, i) => {
    const open = price;
    price = Math.round(price * (1 + Math.sin(i * 0.37 + seed) * 0.004) * 100) / 100;
    return {
      ticker,
      start: new Date(Date.parse("2024-03-04T14:30:00Z") + i * 60_000).toISOString(),
      open,
      high: Math.max(open, price) + 0.01,
      low: Math.min(open, price) - 0.01,
      close: price,
      volume: 100 + i,
      source: "outage-test",
    };
  });
}

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
    const series = tickers.map((t, i) => walk(t, 2000, i + 1));
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

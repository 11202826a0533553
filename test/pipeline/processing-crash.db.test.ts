import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { EMA } from "technicalindicators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPICS, createLogger, encodeMessage } from "@hdp/shared";
import { createTestDatabase, databaseKind, poolSizeFor, type TestDatabase } from "../setup/database.js";
import { requireKafka } from "../setup/kafka.js";
import { randomWalkBars } from "../support/bars.js";
import { connectIsolatedBus, waitForCaughtUp, type IsolatedBus } from "../support/kafka-tools.js";
import { freePort } from "../../scripts/lib/ports.js";

const brokers = await requireKafka();
const logger = createLogger({ service: "test", level: "silent" });
const SERVER = fileURLToPath(new URL("../../services/processing/src/server.ts", import.meta.url));

describe.skipIf(!brokers)(`processing killed with SIGKILL mid-stream (${databaseKind})`, () => {
  const runId = randomBytes(3)
    .toString("hex")
    .toUpperCase()
    .replace(/[0-9]/g, (d) => "GHIJKLMNOP"[Number(d)]!);
  const groupId = `crash-test-${runId}`;
  const tickers = [`KA${runId}`, `KB${runId}`, `KC${runId}`];
  let db: TestDatabase;
  let kafka: IsolatedBus;
  let barsTopic: string;
  const children: ChildProcess[] = [];

  const startProcessing = (port = 0) => {
    const child = spawn(process.execPath, ["--import", "tsx", SERVER], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        KAFKA_BROKERS: brokers,
        KAFKA_GROUP_ID: groupId,
        KAFKA_TOPIC_PREFIX: kafka.prefix,
        KAFKA_SESSION_TIMEOUT_MS: "6000",
        MIGRATE_ON_START: "false",
        DB_POOL_SIZE: String(poolSizeFor(db.kind, 5)),
        PORT: String(port),
        LOG_LEVEL: "error",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(child);
    return child;
  };

  const count = async () =>
    (
      await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM bars WHERE ticker = ANY($1)", [
        tickers,
      ])
    ).rows[0]!.n;

  beforeAll(async () => {
    db = await createTestDatabase();
    kafka = await connectIsolatedBus(brokers!, runId, logger);
    barsTopic = kafka.wire(TOPICS.bars);
  });

  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    await kafka?.close();
    await db?.close();
  });

  it("ends with every bar stored exactly once and EMA9 right after a restart", async () => {
    const series = tickers.map((t, i) =>
      randomWalkBars(t, 3000, i + 1, { start: "2024-02-01T14:30:00Z", source: "crash-test" }),
    );
    const all = series.flat().sort((a, b) => a.start.localeCompare(b.start));

    // A steady stream: the first part before the crash, the rest while it happens and after.
    const first = startProcessing();
    const stream = (async () => {
      for (let i = 0; i < all.length; i += 150) {
        await kafka.producer.send(
          TOPICS.bars,
          all.slice(i, i + 150).map((b) => encodeMessage(TOPICS.bars, b)),
        );
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    await expect.poll(count, { timeout: 60_000, interval: 50 }).toBeGreaterThan(500);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const atCrash = await count();
    expect(atCrash).toBeLessThan(all.length);

    startProcessing();
    await stream;
    await waitForCaughtUp(brokers!, groupId, [barsTopic], 120_000);

    const rows = await db.pool.query<{ ticker: string; n: number; distinct_minutes: number }>(
      `SELECT ticker, count(*)::int AS n, count(DISTINCT start_at)::int AS distinct_minutes
         FROM bars WHERE ticker = ANY($1) GROUP BY ticker ORDER BY ticker`,
      [tickers],
    );
    expect(rows.rows).toEqual(tickers.map((ticker) => ({ ticker, n: 3000, distinct_minutes: 3000 })));
    for (const [i, ticker] of tickers.entries()) {
      const stored = await db.pool.query<{ close: number; ema9: number | null }>(
        "SELECT close, ema9 FROM bars WHERE ticker = $1 ORDER BY start_at",
        [ticker],
      );
      expect(stored.rows.map((r) => r.close)).toEqual(series[i]!.map((b) => b.close));
      const reference = EMA.calculate({ period: 9, values: series[i]!.map((b) => b.close) });
      const worst = Math.max(...reference.map((ref, k) => Math.abs(ref - stored.rows[k + 8]!.ema9!)));
      expect(worst).toBeLessThan(1e-9);
    }
  }, 180_000);

  it("stops on SIGTERM after finishing its batch, and exits 0", async () => {
    const port = await freePort();
    const child = startProcessing(port);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // Ready means consuming: only then are the signal handlers in place.
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status, {
        timeout: 60_000,
        interval: 200,
      })
      .toBe(200);
    await waitForCaughtUp(brokers!, groupId, [barsTopic], 120_000);
    const started = Date.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const stopMs = Date.now() - started;
    console.error(`processing stopped ${stopMs} ms after SIGTERM`);
    expect(stopMs).toBeLessThan(5_000);
  }, 180_000);
});

// The Kafka broker stopped and started again (same port, same data) in the middle of a stream: ingestion's
// publishing path (publishValidated on the bus producer) waits and retries through the outage and says so in
// its log, processing (a real service process) reconnects, and every bar ends up stored exactly once.
// A broker of the test's own, so that the rest of the suite keeps the shared one. Prints one summary line.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_TOPICS, KafkaBus, TOPICS, createLogger, type BusProducer } from "@hdp/shared";
import { publishValidated } from "../../services/ingestion/src/jobs/publish.js";
import { startKafkaBroker, type KafkaBroker } from "../../scripts/kafka/broker.js";
import { freePort } from "../../scripts/lib/ports.js";
import { createTestDatabase, poolSizeFor, type TestDatabase } from "../setup/database.js";
import { requireKafka } from "../setup/kafka.js";
import { randomWalkBars } from "../support/bars.js";
import { waitForCaughtUp } from "../support/kafka-tools.js";

// The shared broker's presence says that Java and the Kafka distribution are here (or CI fails there).
const available = await requireKafka();
const PROCESSING = fileURLToPath(new URL("../../services/processing/src/server.ts", import.meta.url));
const quiet = { log: () => {} };

describe.skipIf(!available)("the Kafka broker stopped and started again mid-stream", () => {
  const runId = randomBytes(3)
    .toString("hex")
    .toUpperCase()
    .replace(/[0-9]/g, (d) => "GHIJKLMNOP"[Number(d)]!);
  const tickers = [`RA${runId}`, `RB${runId}`];
  let port: number;
  let dataDir: string;
  let broker: KafkaBroker | undefined;
  let db: TestDatabase;
  let bus: KafkaBus;
  let producer: BusProducer;
  let processing: ChildProcess | undefined;
  const ingestionLog: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    dataDir = await mkdtemp(join(tmpdir(), "hdp-kafka-restart-"));
    broker = await startKafkaBroker({ port, dataDir, ...quiet });
    db = await createTestDatabase();
    const logger = createLogger({
      service: "ingestion",
      level: "warn",
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          ingestionLog.push(...chunk.toString("utf8").split("\n").filter(Boolean));
          done();
        },
      }),
    });
    bus = new KafkaBus({ brokers: [broker.brokers], clientId: "ingestion-test", logger });
    await bus.ensureTopics(ALL_TOPICS);
    producer = await bus.producer();
    processing = spawn(process.execPath, ["--import", "tsx", PROCESSING], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        KAFKA_BROKERS: broker.brokers,
        KAFKA_GROUP_ID: `kafka-restart-${runId}`,
        KAFKA_SESSION_TIMEOUT_MS: "6000",
        MIGRATE_ON_START: "false",
        DB_POOL_SIZE: String(poolSizeFor(db.kind, 3)),
        PORT: "0",
        LOG_LEVEL: "error",
      },
      // Its connection errors while the broker is down would flood the run's output.
      stdio: ["ignore", "ignore", "ignore"],
    });
  }, 180_000);

  afterAll(async () => {
    processing?.kill("SIGKILL");
    await producer?.close().catch(() => {});
    await bus?.close().catch(() => {});
    await broker?.stop();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const stored = async () =>
    (
      await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM bars WHERE ticker = ANY($1)", [
        tickers,
      ])
    ).rows[0]!.n;

  it("stores every bar exactly once once it is back, and the publisher reports the outage", async () => {
    const series = tickers.map((t, i) =>
      randomWalkBars(t, 1500, i + 1, { start: "2024-03-05T14:30:00Z", source: "kafka-restart-test" }),
    );
    const all = series.flat().sort((a, b) => a.start.localeCompare(b.start));
    let produced = 0;
    let slowestSendMs = 0;
    const stream = (async () => {
      for (let i = 0; i < all.length; i += 30) {
        const started = Date.now();
        const count = await publishValidated(
          producer,
          createLogger({ service: "t", level: "silent" }),
          TOPICS.bars,
          all.slice(i, i + 30),
          new Date(),
        );
        slowestSendMs = Math.max(slowestSendMs, Date.now() - started);
        produced += count.published;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await expect.poll(stored, { timeout: 90_000, interval: 100 }).toBeGreaterThan(300);

    await broker!.stop();
    const stoppedAt = Date.now();
    const atStop = produced;
    await new Promise((r) => setTimeout(r, 3_000));
    broker = await startKafkaBroker({ port, dataDir, ...quiet });
    const backAt = Date.now();
    const storedAtRestart = await stored();
    await expect.poll(stored, { timeout: 90_000, interval: 100 }).toBeGreaterThan(storedAtRestart);
    const recoveryMs = Date.now() - backAt;
    await stream;
    await waitForCaughtUp(broker.brokers, `kafka-restart-${runId}`, [TOPICS.bars], 120_000);

    const rows = await db.pool.query<{ ticker: string; n: number; minutes: number }>(
      `SELECT ticker, count(*)::int AS n, count(DISTINCT start_at)::int AS minutes
         FROM bars WHERE ticker = ANY($1) GROUP BY ticker ORDER BY ticker`,
      [tickers],
    );
    const total = rows.rows.reduce((sum, r) => sum + r.n, 0);
    const duplicates = total - rows.rows.reduce((sum, r) => sum + r.minutes, 0);
    const outageLines = ingestionLog.filter((line) =>
      /kafka: .*(Connection|ECONNREFUSED|retry|Retrying)/i.test(line),
    );
    console.log(
      `kafka-restart: produced=${produced} stored=${total} duplicates=${duplicates} ` +
        `broker_down_ms=${backAt - stoppedAt} recovery_ms=${recoveryMs} slowest_publish_ms=${slowestSendMs} ` +
        `publisher_warnings=${outageLines.length}`,
    );

    expect(atStop).toBeLessThan(all.length);
    expect(produced).toBe(all.length);
    expect(rows.rows).toEqual(tickers.map((ticker) => ({ ticker, n: 1500, minutes: 1500 })));
    // The publisher waited through the outage rather than failing, and its log says why.
    expect(slowestSendMs).toBeGreaterThan(1_000);
    expect(outageLines.length).toBeGreaterThan(0);
    expect(recoveryMs).toBeLessThan(60_000);
  }, 240_000);
});

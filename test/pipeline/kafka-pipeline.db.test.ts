import { randomBytes } from "node:crypto";
import { EMA } from "technicalindicators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOPICS, createLogger, deadLetterSchema, encodeMessage, type BusProducer } from "@hdp/shared";
import { PublishedGuard, ReplaySource, runBackfill } from "@hdp/ingestion";
import { startProcessingService, type ProcessingService } from "@hdp/processing";
import {
  createTestDatabase,
  databaseKind,
  poolSizeFor,
  snapshotTables,
  type TestDatabase,
} from "../setup/database.js";
import { requireKafka } from "../setup/kafka.js";
import { malformedBarCases, validBar } from "../support/bars.js";
import { connectIsolatedBus, readTopic, waitForCaughtUp, type IsolatedBus } from "../support/kafka-tools.js";

const brokers = await requireKafka();
const logger = createLogger({ service: "test", level: "silent" });
const REPLAY_TICKERS = ["AAL", "AAPL", "AMD", "MSFT", "TSLA"];
const DAY = "2024-03-05";

describe.skipIf(!brokers)(`replay -> Kafka -> processing -> PostgreSQL (${databaseKind})`, () => {
  const runId = randomBytes(4).toString("hex");
  const groupId = `pipeline-test-${runId}`;
  let barsTopic: string;
  let db: TestDatabase;
  let kafka: IsolatedBus;
  let producer: BusProducer;
  let service: ProcessingService;

  beforeAll(async () => {
    db = await createTestDatabase();
    kafka = await connectIsolatedBus(brokers!, runId, logger);
    producer = kafka.producer;
    barsTopic = kafka.wire(TOPICS.bars);
    service = await startProcessingService({
      databaseUrl: db.url,
      bus: kafka.bus,
      logger,
      groupId,
      migrateOnStart: false,
      poolSize: poolSizeFor(db.kind, 5),
    });
  });

  afterAll(async () => {
    await service?.stop();
    await kafka?.close();
    await db?.close();
  });

  const backfillDay = () =>
    runBackfill(
      {
        logger,
        producer,
        tickers: REPLAY_TICKERS,
        market: new ReplaySource("pipeline-test"),
        news: new ReplaySource("pipeline-test"),
        guard: new PublishedGuard(),
      },
      { from: DAY, to: DAY, now: new Date("2024-03-06T12:00:00Z"), news: false },
    );

  it("stores one full trading day of the five tickers with EMA9 equal to the reference", async () => {
    const result = await backfillDay();
    expect(result.bars).toBe(1950);
    await waitForCaughtUp(brokers!, groupId, [barsTopic]);

    const count = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM bars WHERE ticker = ANY($1) AND start_at >= $2 AND start_at < $3",
      [REPLAY_TICKERS, "2024-03-05T00:00:00Z", "2024-03-06T00:00:00Z"],
    );
    expect(count.rows[0]!.n).toBe(1950);
    for (const ticker of REPLAY_TICKERS) {
      const { rows } = await db.pool.query<{ close: number; ema9: number | null }>(
        "SELECT close, ema9 FROM bars WHERE ticker = $1 ORDER BY start_at",
        [ticker],
      );
      expect(rows).toHaveLength(390);
      const reference = EMA.calculate({ period: 9, values: rows.map((r) => r.close) });
      const ours = rows.map((r) => r.ema9);
      expect(ours.slice(0, 8)).toEqual(Array(8).fill(null));
      const worst = Math.max(...reference.map((ref, i) => Math.abs(ref - (ours[i + 8] as number))));
      expect(worst, ticker).toBeLessThan(1e-9);
    }
  });

  it("leaves every table unchanged when the same messages are delivered again", async () => {
    await waitForCaughtUp(brokers!, groupId, [barsTopic]);
    const before = await snapshotTables(db.pool);
    expect(before.bars!.length).toBeGreaterThanOrEqual(1950);
    await backfillDay();
    await waitForCaughtUp(brokers!, groupId, [barsTopic]);
    expect(await snapshotTables(db.pool)).toEqual(before);
  });

  it("parks each malformed message in the dead-letter topic with its reason and stores the messages around it", async () => {
    const ticker = `DL${runId
      .slice(0, 4)
      .toUpperCase()
      .replace(/[^A-Z]/g, "X")}`;
    const cases = malformedBarCases(Date.now()).map((c) => ({
      ...c,
      raw: c.raw.replaceAll('"AAPL"', `"${ticker}"`).replace('"source":"test"', `"source":"dlq-${runId}"`),
    }));
    const messages = cases.flatMap((c, i) => [
      encodeMessage(
        TOPICS.bars,
        validBar({ ticker, start: new Date(Date.parse("2024-03-07T14:30:00Z") + i * 60_000).toISOString() }),
      ),
      // The not-JSON case carries the run id in its text so that this run finds its own dead letters.
      { key: ticker, value: c.name === "not JSON" ? `${c.raw} ${runId}` : c.raw },
    ]);
    await producer.send(TOPICS.bars, messages);
    await waitForCaughtUp(brokers!, groupId, [barsTopic]);

    const dead = (await readTopic(brokers!, `${barsTopic}.dlq`))
      .map((m) => deadLetterSchema.parse(JSON.parse(m.value)))
      .filter((d) => d.payload.includes(runId) || d.payload.includes(ticker));
    const mine = dead.filter((d) => d.payload.includes(`dlq-${runId}`) || d.payload.endsWith(runId));
    for (const c of cases) {
      const found = mine.find((d) => d.payload === (c.name === "not JSON" ? `${c.raw} ${runId}` : c.raw));
      expect(found, c.name).toBeDefined();
      expect(found!.reason, c.name).toMatch(c.reason);
    }
    const stored = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM bars WHERE ticker = $1",
      [ticker],
    );
    expect(stored.rows[0]!.n).toBe(cases.length);
  });
});

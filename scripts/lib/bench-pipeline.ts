import { Kafka, logLevel } from "kafkajs";
import {
  KafkaBus,
  TOPICS,
  createLogger,
  createPool,
  encodeMessage,
  migrate,
  startPgliteServer,
  type Bar,
  type Pool,
} from "@hdp/shared";
import { startProcessingService } from "@hdp/processing";
import { startKafkaBroker } from "../kafka/broker.js";

export interface PipelineBenchOptions {
  /** Bars to produce. @default 200_000 */
  readonly bars: number;
  /** Distinct tickers the bars are spread over. @default 50 */
  readonly tickers: number;
  /** Rows per multi-row insert in the ceiling measurement. @default 2_000 */
  readonly ceilingBatch: number;
  readonly log: (line: string) => void;
}

export interface PipelineBenchResult {
  readonly database: string;
  readonly bars: number;
  readonly produceSeconds: number;
  readonly pipelineSeconds: number;
  /** Bars over the whole run, consumer start and group join included. */
  readonly pipelineBarsPerSecond: number;
  /** Seconds from the consumer's start to the first stored batch (group join, first fetch). */
  readonly startupSeconds: number;
  /** Bars per second after the first batch: the processing rate itself. */
  readonly steadyBarsPerSecond: number;
  readonly ceilingSeconds: number;
  readonly ceilingBarsPerSecond: number;
  /** Steady processing rate over the ceiling. */
  readonly ratio: number;
  /** Whole-run rate over the ceiling. */
  readonly ratioWithStartup: number;
}

/** Deterministic synthetic bars: `tickers` random walks of one-minute bars. */
export function syntheticBars(total: number, tickers: number): Bar[] {
  const perTicker = Math.ceil(total / tickers);
  const t0 = Date.parse("2024-01-02T14:30:00Z");
  const out: Bar[] = [];
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let t = 0; t < tickers && out.length < total; t++) {
    let price = 20 + t * 3;
    for (let i = 0; i < perTicker && out.length < total; i++) {
      const open = price;
      price = Math.max(1, Math.round(price * (1 + (random() - 0.5) * 0.004) * 100) / 100);
      const close = price;
      out.push({
        ticker: `BT${t}`,
        start: new Date(t0 + i * 60_000).toISOString(),
        open,
        high: Math.round((Math.max(open, close) + random() * 0.05) * 100) / 100,
        low: Math.round((Math.min(open, close) - random() * 0.05) * 100) / 100,
        close,
        volume: Math.floor(random() * 10_000),
        source: "bench",
      });
    }
  }
  return out;
}

async function countBars(pool: Pool): Promise<number> {
  return (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM bars")).rows[0]!.n;
}

const INSERT_FROM_ARRAYS = `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
  SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::float8[], $4::float8[], $5::float8[],
                       $6::float8[], $7::int8[], $8::text[], $9::float8[])`;

const INSERT_FROM_JSON = `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
  SELECT ticker, start, open, high, low, close, volume, source, NULL
    FROM json_to_recordset($1::json) AS r(ticker text, start timestamptz, open float8, high float8, low float8,
                                          close float8, volume int8, source text)`;

function arrayParameters(rows: readonly Bar[]): unknown[] {
  return [
    rows.map((r) => r.ticker),
    rows.map((r) => r.start),
    rows.map((r) => r.open),
    rows.map((r) => r.high),
    rows.map((r) => r.low),
    rows.map((r) => r.close),
    rows.map((r) => r.volume),
    rows.map((r) => r.source),
    rows.map(() => null),
  ];
}

/**
 * The database's ceiling: the same rows inserted with one multi-row insert per batch,
 * no Kafka, no validation, no EMA. Both parameter encodings (arrays, JSON) are timed
 * and the faster one is the ceiling.
 */
async function measureCeiling(pool: Pool, bars: readonly Bar[], batch: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (const variant of ["arrays", "json"] as const) {
    await pool.query("TRUNCATE bars");
    const started = performance.now();
    for (let i = 0; i < bars.length; i += batch) {
      const rows = bars.slice(i, i + batch);
      if (variant === "arrays") await pool.query(INSERT_FROM_ARRAYS, arrayParameters(rows));
      else await pool.query(INSERT_FROM_JSON, [JSON.stringify(rows)]);
    }
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

/** Produces bars into a real broker, measures processing into PostgreSQL, then the insert ceiling. */
export async function runPipelineBench(options: PipelineBenchOptions): Promise<PipelineBenchResult> {
  const { log } = options;
  const logger = createLogger({ service: "bench", level: "warn" });
  const broker = process.env.KAFKA_BROKERS ? undefined : await startKafkaBroker({ log });
  const brokers = (process.env.KAFKA_BROKERS ?? broker!.brokers).split(",");
  const pglite = process.env.DATABASE_URL ? undefined : await startPgliteServer();
  const databaseUrl = process.env.DATABASE_URL ?? pglite!.url;
  const database = pglite ? "PGlite (set DATABASE_URL for a real server)" : "PostgreSQL (DATABASE_URL)";
  try {
    await migrate({ databaseUrl });
    const pool = createPool(databaseUrl, { max: 2 });
    await pool.query("TRUNCATE bars");

    // A clean topic, so that messages of an earlier run do not count.
    const admin = new Kafka({ clientId: "bench", brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    if ((await admin.listTopics()).includes(TOPICS.bars)) await admin.deleteTopics({ topics: [TOPICS.bars] });
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPICS.bars, numPartitions: 3 }] });
    await admin.disconnect();

    const bars = syntheticBars(options.bars, options.tickers);
    log(`bench: producing ${bars.length} bars (${options.tickers} tickers) into ${brokers.join(",")}`);
    const bus = new KafkaBus({ brokers, clientId: "bench", logger });
    const producer = await bus.producer();
    const produceStart = performance.now();
    for (let i = 0; i < bars.length; i += 10_000) {
      await producer.send(
        TOPICS.bars,
        bars.slice(i, i + 10_000).map((b) => encodeMessage(TOPICS.bars, b)),
      );
    }
    const produceSeconds = (performance.now() - produceStart) / 1000;
    await producer.close();
    log(`bench: produced in ${produceSeconds.toFixed(1)} s; processing into ${database}`);

    const pipelineStart = performance.now();
    const service = await startProcessingService({
      databaseUrl,
      bus,
      logger,
      groupId: `bench-${Date.now()}`,
      migrateOnStart: false,
    });
    // Progress comes from the service's own counter: polling count(*) would load the database under test.
    const handled = async () =>
      (await service.metrics.messages.get()).values.reduce((sum, v) => sum + v.value, 0);
    let done = 0;
    let firstStoredAt: number | undefined;
    let firstBatch = 0;
    while (done < bars.length) {
      await new Promise((r) => setTimeout(r, 20));
      done = await handled();
      if (done > 0 && firstStoredAt === undefined) {
        firstStoredAt = performance.now();
        firstBatch = done;
      }
      if (performance.now() - pipelineStart > 600_000)
        throw new Error(`bench: only ${done} bars after 10 minutes`);
    }
    const finishedAt = performance.now();
    const pipelineSeconds = (finishedAt - pipelineStart) / 1000;
    const startupSeconds = ((firstStoredAt ?? finishedAt) - pipelineStart) / 1000;
    await service.stop();
    const stored = await countBars(pool);
    if (stored !== bars.length) throw new Error(`bench: ${stored} bars stored, expected ${bars.length}`);
    await bus.close();
    const emaCheck = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM bars WHERE ema9 IS NULL",
    );
    log(
      `bench: pipeline stored ${stored} bars in ${pipelineSeconds.toFixed(2)} s, first rows after ${startupSeconds.toFixed(2)} s (${emaCheck.rows[0]!.n} warm-up bars without EMA9)`,
    );

    const ceilingSeconds = await measureCeiling(pool, bars, options.ceilingBatch);
    await pool.end();
    const pipelineBarsPerSecond = bars.length / pipelineSeconds;
    const steadyBarsPerSecond = (bars.length - firstBatch) / (pipelineSeconds - startupSeconds);
    const ceilingBarsPerSecond = bars.length / ceilingSeconds;
    return {
      database,
      bars: bars.length,
      produceSeconds,
      pipelineSeconds,
      pipelineBarsPerSecond,
      ceilingSeconds,
      ceilingBarsPerSecond,
      startupSeconds,
      steadyBarsPerSecond,
      ratio: steadyBarsPerSecond / ceilingBarsPerSecond,
      ratioWithStartup: pipelineBarsPerSecond / ceilingBarsPerSecond,
    };
  } finally {
    await pglite?.stop();
    await broker?.stop();
  }
}

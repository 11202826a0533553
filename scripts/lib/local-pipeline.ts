import {
  KafkaBus,
  MemoryBus,
  TOPICS,
  createLogger,
  migrate,
  startPgliteServer,
  type Logger,
  type MessageBus,
} from "@hdp/shared";
import { buildApp, createSentimentModel } from "@hdp/analytics";
import {
  DEFAULT_TICKERS,
  PublishedGuard,
  ReplaySource,
  runSensorLoop,
  simulatedSensor,
} from "@hdp/ingestion";
import { LocalProcessing } from "./local-processing.js";
import { startLocalWeb, type LocalWeb } from "./local-web.js";
import {
  MINUTE_MS,
  ReplayClock,
  exchangeClock,
  planReplay,
  replay,
  type ReplayPlan,
} from "./replay-today.js";

export { planReplay, ReplayClock, type ReplayPlan } from "./replay-today.js";

export interface LocalPipelineOptions {
  /** The instant taken as "now": picks the day replayed as today and the days backfilled before it. @default the clock */
  readonly now?: Date;
  /** Replay minutes per real minute (60: one replay minute per second). @default 60 */
  readonly speed?: number;
  /** @default AAL, AAPL, AMD, MSFT, TSLA */
  readonly tickers?: readonly string[];
  /** Seed of the replay source: changes every price and headline. @default "hdp" */
  readonly seed?: string;
  /** Port of the analytics API on 127.0.0.1; 0 picks a free one. @default 8082 */
  readonly analyticsPort?: number;
  /** PostgreSQL to use; an embedded PGlite on loopback when omitted. */
  readonly databaseUrl?: string;
  /** Folder where the embedded PGlite keeps its files; in memory when omitted. Ignored with `databaseUrl`. */
  readonly dataDir?: string;
  /** Kafka bootstrap brokers; an in-process bus when omitted or empty. */
  readonly kafkaBrokers?: readonly string[];
  /** Serve processing's health and metrics endpoints on this port of 127.0.0.1 (0 picks a free one). @default not served */
  readonly processingPort?: number;
  /** Serve the API and the web page: their ports on 127.0.0.1 (0 picks free ones). @default not served */
  readonly web?: { readonly apiPort?: number; readonly webPort?: number };
  /** Trading days before today to backfill. @default 3 */
  readonly backfillDays?: number;
  /**
   * Name of a simulated Raspberry Pi whose sensor agent publishes a reading every replay minute (at least a
   * real second apart), so that `/v1/devices` and `/v1/sensors` have data; `false`: none. @default "pi-sim"
   */
  readonly simulatedDevice?: string | false;
  /** Receives the human-readable progress lines. @default none */
  readonly log?: (line: string) => void;
  /** Structured logger of the services (JSON lines). @default warnings and errors on standard error */
  readonly logger?: Logger;
}

export interface LocalPipeline {
  /** The middle-tier API and the web page, when `web` was asked for. */
  readonly web: LocalWeb | undefined;
  /** `postgres://` URL of the database holding the data (with its password). */
  readonly databaseUrl: string;
  /** `embedded PGlite (in memory)`, `embedded PGlite (<dir>)` or `PostgreSQL`. */
  readonly databaseKind: string;
  readonly analyticsUrl: string;
  readonly busKind: "kafka" | "memory";
  /** The simulated device's name, when one runs. */
  readonly simulatedDevice: string | undefined;
  readonly plan: ReplayPlan;
  readonly speed: number;
  /** Settles when the backfill and today's session are published (or stop() cut them short); rejects on failure. */
  readonly replayDone: Promise<void>;
  /** Settles when the processing consumer stops for good (see `processing`); rejects if it crashed. */
  readonly processingDone: Promise<void>;
  /** The replay's exchange clock, which the API follows. */
  readonly clock: ReplayClock;
  /** Processing, which can be stopped and started again (an outage, for monitoring tests). */
  readonly processing: ProcessingControl;
  /** Stops the replay, processing, analytics, the bus and the database, in that order. Idempotent. */
  stop(): Promise<void>;
}

/** Stops and starts processing in a running local pipeline; its consumer group resumes where it stopped. */
export interface ProcessingControl {
  /** Base URL of `/healthz`, `/readyz` and `/metrics` when `processingPort` was given. */
  readonly healthUrl: string | undefined;
  readonly running: boolean;
  /** Finishes the batch in hand, commits and leaves the group. Idempotent. */
  stop(): Promise<void>;
  /** Joins the group again (on the same health port). Idempotent. */
  start(): Promise<void>;
}

/** A database URL fit for printing: the password removed. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.toString();
}

/** The banner: what runs where, and what is replayed. */
export function describeLocalPipeline(p: LocalPipeline): string[] {
  const { open, close } = p.plan.session;
  const days = p.plan.backfill.length > 0 ? p.plan.backfill.join(", ") : "none";
  const web = p.web
    ? [
        `web page    ${p.web.webUrl}`,
        `api         ${p.web.apiUrl}  (docs ${p.web.apiUrl}/docs, also ${p.web.webUrl}api/…)`,
      ]
    : [];
  return [
    ...web,
    `database    ${withoutPassword(p.databaseUrl)}  [${p.databaseKind}]`,
    `bus         ${p.busKind === "kafka" ? "Kafka" : "in-process (set KAFKA_BROKERS for Kafka)"}`,
    `analytics   ${p.analyticsUrl}  (POST /v1/sentiment, GET /healthz)`,
    `processing  consuming ${TOPICS.bars}, ${TOPICS.news}, ${TOPICS.sensors}`,
    ...(p.simulatedDevice
      ? [`sensors     simulated Raspberry Pi "${p.simulatedDevice}", a reading every replay minute`]
      : []),
    `backfill    ${days}`,
    `today       ${p.plan.day} ${exchangeClock(open)}-${exchangeClock(close)} New York at ${p.speed}x` +
      (p.plan.note ? `  (${p.plan.note})` : ""),
  ];
}

/** Starts the database and applies the migrations: the given URL, or an embedded PGlite. */
async function startDatabase(options: LocalPipelineOptions, logger: Logger) {
  if (options.databaseUrl) {
    await migrate({ databaseUrl: options.databaseUrl, logger });
    return { url: options.databaseUrl, kind: "PostgreSQL", stop: async () => {} };
  }
  const server = await startPgliteServer(options.dataDir ? { dataDir: options.dataDir } : {});
  await migrate({ databaseUrl: server.url, logger }).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return { ...server, kind: `embedded PGlite (${options.dataDir ?? "in memory"})` };
}

/** Loads the sentiment model and serves the analytics API on 127.0.0.1. */
async function startAnalytics(port: number, logger: Logger) {
  const model = createSentimentModel("vader-finance");
  await model.load();
  const app = buildApp({ config: { bodyLimitBytes: 1024 * 1024 }, logger, model });
  try {
    await app.listen({ host: "127.0.0.1", port });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    const message = `analytics: 127.0.0.1:${port} is in use; choose another port (0: any free one)`;
    throw new Error(message, { cause: error });
  }
  const address = app.server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return { url: `http://127.0.0.1:${actualPort}`, close: () => app.close() };
}

/** Something running, and how to stop it. */
interface Part {
  readonly name: string;
  stop(): Promise<void>;
}

/** Stops `parts` newest first, each one even when another fails; throws the first failure. */
async function stopInReverse(parts: Part[], log: (line: string) => void): Promise<void> {
  const [stopped, errors]: [string[], unknown[]] = [[], []];
  for (const part of parts.splice(0).reverse()) {
    await part.stop().then(
      () => stopped.push(part.name),
      (error: unknown) => errors.push(error),
    );
  }
  log(`stopped ${stopped.join(", ")}`);
  if (errors.length > 0) throw errors[0];
}

/** Starts the database, bus, analytics and processing, adding each to `running` once it is up. */
async function startServices(
  options: LocalPipelineOptions,
  clock: ReplayClock,
  logger: Logger,
  running: Part[],
) {
  const brokers = options.kafkaBrokers ?? [];
  // Constructing a bus connects nothing; it is closed after analytics, before the database. Small
  // batches keep each (synchronous, in-process) PGlite write short, so that Ctrl-C is answered at once.
  const bus: MessageBus =
    brokers.length > 0
      ? new KafkaBus({ brokers, clientId: "hdp-dev", logger })
      : new MemoryBus({ maxBatchSize: 200 });
  const [database, analytics] = await Promise.allSettled([
    startDatabase(options, logger),
    startAnalytics(options.analyticsPort ?? 8082, logger),
  ]);
  if (database.status === "fulfilled") running.push({ name: "database", stop: database.value.stop });
  running.push({ name: "bus", stop: () => bus.close() });
  if (analytics.status === "fulfilled") running.push({ name: "analytics", stop: analytics.value.close });
  if (database.status === "rejected") throw database.reason;
  if (analytics.status === "rejected") throw analytics.reason;
  const processing = await LocalProcessing.start({
    databaseUrl: database.value.url,
    bus,
    logger,
    analyticsUrl: analytics.value.url,
    // PGlite is one backend shared message by message between connections: one connection keeps
    // concurrent transactions from interleaving.
    poolSize: options.databaseUrl ? 5 : 1,
    now: () => clock.now().getTime(),
    ...(options.processingPort === undefined ? {} : { port: options.processingPort }),
  });
  running.push({ name: "processing", stop: () => processing.close() });
  const web = options.web
    ? await startLocalWeb({
        databaseUrl: database.value.url,
        poolSize: options.databaseUrl ? 5 : 1,
        ...options.web,
        now: () => clock.now(),
        logger,
        log: options.log ?? (() => {}),
      })
    : undefined;
  if (web) running.push({ name: "web", stop: () => web.stop() });
  const busKind: LocalPipeline["busKind"] = brokers.length > 0 ? "kafka" : "memory";
  return { database: database.value, analytics: analytics.value, bus, busKind, processing, web };
}

/**
 * Runs the whole data path in this process on embedded defaults: database,
 * bus, analytics and processing, then the replay source backfilling the last
 * trading days and playing today in accelerated time. Resolves once every
 * service is up; the replay goes on in the background (see `replayDone`).
 */
export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  const speed = options.speed ?? 60;
  const now = options.now ?? new Date();
  if (!(speed > 0)) throw new Error(`speed: must be a positive number, got ${speed}`);
  if (now.getTime() > Date.now() + MINUTE_MS) throw new Error(`now: ${now.toISOString()} is in the future`);
  const log = options.log ?? (() => {});
  const logger = options.logger ?? createLogger({ service: "dev", level: "warn" });
  const plan = planReplay(now, options.backfillDays ?? 3);
  const clock = new ReplayClock(plan.session, speed);
  const running: Part[] = [];
  try {
    const { database, analytics, bus, busKind, processing, web } = await startServices(
      options,
      clock,
      logger,
      running,
    );
    const producer = await bus.producer();
    const source = new ReplaySource(options.seed ?? "hdp");
    const tickers = options.tickers ?? DEFAULT_TICKERS;
    const context = { logger, producer, tickers, market: source, news: source, guard: new PublishedGuard() };
    const abort = new AbortController();
    const replayDone = replay({
      context,
      plan,
      clock,
      now,
      signal: abort.signal,
      log,
      metrics: () => processing.metrics,
    });
    // Observed here so that a failure nobody awaits yet is not an unhandled rejection.
    replayDone.catch(() => {});
    const device = options.simulatedDevice ?? "pi-sim";
    const sensors = device
      ? runSensorLoop({
          producer,
          logger,
          sensor: { device, thermalPath: "(simulated)", loadavgPath: "(simulated)" },
          read: simulatedSensor(options.seed ?? "hdp"),
          intervalSeconds: Math.max(1, 60 / speed),
          clock: () => clock.now(),
          signal: abort.signal,
        })
      : Promise.resolve(0);
    sensors.catch((error: unknown) => logger.error({ err: error }, "sensors: the simulated device stopped"));
    running.push({
      name: "replay",
      stop: async () => {
        abort.abort();
        await Promise.all([replayDone.catch(() => {}), sensors.catch(() => {})]);
        await producer.close();
      },
    });
    let stopping: Promise<void> | undefined;
    return {
      databaseUrl: database.url,
      databaseKind: database.kind,
      analyticsUrl: analytics.url,
      web,
      busKind,
      simulatedDevice: device || undefined,
      plan,
      speed,
      replayDone,
      processingDone: processing.done,
      clock,
      processing,
      stop: () => (stopping ??= stopInReverse(running, log)),
    };
  } catch (error) {
    await stopInReverse(running, log);
    throw error;
  }
}

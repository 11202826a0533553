// The whole data path in one process on embedded defaults: `npm run dev -- --help`.
import { parseArgs } from "node:util";
import { startLocalArchive, type LocalArchive } from "./lib/local-archive.js";
import { createLogger, env, sensorReadingSchema, tickerField } from "@hdp/shared";
import {
  describeLocalPipeline,
  startLocalPipeline,
  type LocalPipeline,
  type LocalPipelineOptions,
} from "./lib/local-pipeline.js";

const USAGE = `Usage: npm run dev -- [options]

Runs the whole pipeline locally: database, bus, analytics, processing, the API and
the web page, and the replay source backfilling the last trading days, then playing
today's session (New York time) in accelerated time. No key, no server, no Docker.
Ctrl-C stops it.

Options:
  --speed <n>            replay minutes per real minute (60: one per second)  [60]
  --web-port <n>         web page port on 127.0.0.1, 0 for a free one         [5173]
  --api-port <n>         API port on 127.0.0.1, 0 for a free one              [8080]
  --analytics-port <n>   analytics port on 127.0.0.1, 0 for a free one        [8082]
  --data-dir <dir>       keep the embedded database in this folder            [in memory]
  --backfill-days <n>    trading days before today to backfill                [3]
  --tickers <list>       comma-separated tickers              [AAL,AAPL,AMD,MSFT,TSLA]
  --seed <text>          replay seed: changes every price and headline        [hdp]
  --now <instant>        pretend the clock reads this ISO 8601 instant        [the clock]
  --device <name>        simulated Raspberry Pi sending readings, none: off   [pi-sim]
  --archive              also run a local S3-compatible server (SeaweedFS) and archive
                         every closed replay hour to it as Parquet (npm run lake reads it)
  --log-level <level>    level of the services' JSON logs on stderr           [warn]
  -h, --help             show this help

Environment:
  DATABASE_URL    use this PostgreSQL instead of the embedded PGlite
  KAFKA_BROKERS   use this Kafka (host:port,…) instead of the in-process bus`;

/** Reports a usage error the way every CLI of the repository does: message, hint, exit 2. */
function usageError(message: string): never {
  console.error(`dev: ${message}\n(run with --help for usage)`);
  process.exit(2);
}

function number(name: string, value: string, valid: (n: number) => boolean, rule: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || !valid(n))
    usageError(`--${name}: ${rule}, got "${value}"`);
  return n;
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        speed: { type: "string", default: "60" },
        "analytics-port": { type: "string", default: "8082" },
        "api-port": { type: "string", default: "8080" },
        "web-port": { type: "string", default: "5173" },
        "data-dir": { type: "string" },
        "backfill-days": { type: "string", default: "3" },
        tickers: { type: "string" },
        seed: { type: "string", default: "hdp" },
        now: { type: "string" },
        device: { type: "string", default: "pi-sim" },
        archive: { type: "boolean", default: false },
        "log-level": { type: "string", default: "warn" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    return usageError((error as Error).message);
  }
}

const values = parseCommandLine();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const now = values.now === undefined ? undefined : new Date(values.now);
if (now && Number.isNaN(now.getTime())) usageError(`--now: not an ISO 8601 instant: "${values.now}"`);
const tickers = values.tickers?.split(",").map((t) => t.trim().toUpperCase());
const badTicker = tickers?.find((t) => !tickerField.safeParse(t).success);
if (badTicker !== undefined) usageError(`--tickers: "${badTicker}" is not a ticker such as AAPL`);
const device = values.device === "none" ? false : values.device;
if (device !== false && !sensorReadingSchema.shape.device.safeParse(device).success)
  usageError(`--device: "${device}" is not a device name such as pi-sim (lower case, digits and -), or none`);
const logLevel = env.logLevel.safeParse(values["log-level"]);
if (!logLevel.success) usageError(`--log-level: one of ${env.logLevel.options.join(", ")}`);

const port = (name: string) =>
  number(
    name,
    values[name as "api-port"] ?? "",
    (n) => Number.isInteger(n) && n >= 0 && n < 65536,
    "must be a port number, 0-65535",
  );

const log = (line: string) => console.log(`${new Date().toLocaleTimeString("en-GB")}  ${line}`);
const options: LocalPipelineOptions = {
  speed: number("speed", values.speed, (n) => n > 0, "must be a positive number"),
  analyticsPort: number(
    "analytics-port",
    values["analytics-port"],
    (n) => Number.isInteger(n) && n >= 0 && n < 65536,
    "must be a port number, 0-65535",
  ),
  web: { apiPort: port("api-port"), webPort: port("web-port") },
  backfillDays: number(
    "backfill-days",
    values["backfill-days"],
    (n) => Number.isInteger(n) && n >= 0,
    "must be a whole number",
  ),
  seed: values.seed,
  simulatedDevice: device,
  logger: createLogger({ service: "dev", level: logLevel.data }),
  log,
  ...(now ? { now } : {}),
  ...(tickers ? { tickers } : {}),
  ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  ...(process.env.KAFKA_BROKERS
    ? { kafkaBrokers: process.env.KAFKA_BROKERS.split(",").map((b) => b.trim()) }
    : {}),
};

console.log("hdp dev: starting the local pipeline…");
const pipeline = startLocalPipeline(options);

/** Gap under which a repeated signal is the same Ctrl-C: tsx relays it again when this process is slow to answer. */
const SAME_SIGNAL_MS = 300;
let stoppingSince: number | undefined;
/** The local archive, with --archive, once started. */
let archive: Promise<LocalArchive> | undefined;

/** Stops everything, once; a second Ctrl-C while stopping forces the exit. */
async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (stoppingSince !== undefined) {
    if (Date.now() - stoppingSince < SAME_SIGNAL_MS) return;
    console.error("dev: forced exit");
    process.exit(130);
  }
  stoppingSince = Date.now();
  log(`${reason}: stopping (Ctrl-C again to force)`);
  try {
    await (await archive?.catch(() => undefined))?.stop();
    await (await pipeline).stop();
    // Nothing is left running: the process ends by itself, after its last writes (the tsx parent
    // learns of the signal through one). The timer only covers a handle that some library leaked.
    process.exitCode = exitCode;
    setTimeout(() => process.exit(exitCode), 3_000).unref();
  } catch (error) {
    console.error(`dev: could not stop cleanly: ${(error as Error).message}`);
    process.exit(1);
  }
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void shutdown(signal, 0));

/** Prints what runs where, then watches the replay and processing for a failure. */
function announce(running: LocalPipeline): void {
  for (const line of describeLocalPipeline(running)) console.log(`  ${line}`);
  // performance.now() counts from the start of the process: module loading included.
  console.log(`ready in ${(performance.now() / 1000).toFixed(1)} s; Ctrl-C to stop`);
  running.replayDone.then(
    () => {
      if (stoppingSince === undefined)
        log("replay: today's session is published; services keep running, Ctrl-C to stop");
    },
    (error: unknown) => void shutdown(`replay failed: ${(error as Error).message}`, 1),
  );
  running.processingDone.catch(
    (error: unknown) => void shutdown(`processing failed: ${(error as Error).message}`, 1),
  );
}

try {
  const running = await pipeline;
  // A Ctrl-C during the start is already stopping it.
  if (stoppingSince === undefined) announce(running);
  if (values.archive && stoppingSince === undefined) {
    log("archive: starting a local S3-compatible server (SeaweedFS; built once on first use, needs Go)…");
    archive = startLocalArchive({ databaseUrl: running.databaseUrl, now: () => running.clock.now(), log });
    const started = await archive;
    log(
      `archive: every closed replay hour goes to ${started.server.endpoint}, bucket hdp-archive; read it with`,
    );
    console.log(
      `  ${started.settings.join(" ")} npm run lake -- query "SELECT ticker, count(*) FROM bars GROUP BY ticker"`,
    );
  }
} catch (error) {
  console.error(`dev: could not start: ${(error as Error).message}`);
  process.exit(1);
}

#!/usr/bin/env node
import { setTimeout as sleep } from "node:timers/promises";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { Registry } from "prom-client";
import {
  ConfigError,
  EXIT_CODES,
  PortInUseError,
  TOPICS,
  ValidationError,
  startMetricsServer,
  type MetricsServer,
} from "@hdp/shared";
import { SOURCE_NAMES, loadIngestionConfig, type IngestionConfig } from "./config.js";
import { PublishedGuard } from "./jobs/published-guard.js";
import { runMarketOnce } from "./jobs/market-job.js";
import { runNewsOnce } from "./jobs/news-job.js";
import { runBackfill } from "./jobs/backfill-job.js";
import { runSensorLoop } from "./jobs/sensor-loop.js";
import { createSensorMetrics } from "./metrics/sensor-metrics.js";
import type { JobContext, TickerFailure } from "./jobs/context.js";
import { createSource } from "./sources/create-sources.js";
import { createRuntime, type Runtime } from "./runtime.js";

/** Exit codes (the services'): 0 done, 1 failed while running, 2 bad configuration or usage. */
const EXIT = { ok: EXIT_CODES.ok, failure: EXIT_CODES.failure, usage: EXIT_CODES.badConfig } as const;

interface GlobalOptions {
  readonly source?: string;
  readonly dryRun?: boolean;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number");
  return n;
}

function instant(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new InvalidArgumentError("must be an ISO 8601 instant, e.g. 2024-03-05T15:00:00Z");
  return date;
}

/** Loads the config with `--source` applied, opens the runtime, runs `work`, and always closes. */
async function withRuntime<T>(
  command: Command,
  topics: readonly string[],
  work: (config: IngestionConfig, runtime: Runtime) => Promise<T>,
): Promise<T> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const config = loadIngestionConfig({ INGEST_SOURCE: globals.source });
  const runtime = await createRuntime(config, {
    dryRun: globals.dryRun ?? false,
    out: process.stdout,
    topics,
  });
  try {
    return await work(config, runtime);
  } finally {
    await runtime.close();
  }
}

function jobContext(config: IngestionConfig, runtime: Runtime): JobContext {
  const source = createSource(config, runtime.logger);
  return { ...runtime, tickers: config.tickers, market: source, news: source, guard: new PublishedGuard() };
}

/** A signal aborted by SIGINT or SIGTERM, for the long-running commands. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => controller.abort());
  return controller.signal;
}

/** The sensor agent's `/metrics`; a port already taken is a setting to change, named as such. */
async function serveMetrics(config: IngestionConfig, registry: Registry): Promise<MetricsServer> {
  const { host, port } = config.sensor.metrics;
  try {
    return await startMetricsServer({ host, port, registry, healthz: true });
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    throw new ConfigError([
      `METRICS_PORT: ${error.message} (another sensor agent on this node?); set METRICS_PORT to a free port`,
    ]);
  }
}

function exitFor(failures: readonly TickerFailure[]): number {
  return failures.length > 0 ? EXIT.failure : EXIT.ok;
}

function buildProgram(): Command {
  const program = new Command("ingest")
    .description(
      "Fetch market bars, news and device readings and publish them to Kafka.\n" +
        "Settings come from environment variables (see services/ingestion/README.md).",
    )
    .exitOverride()
    .addOption(
      new Option("--source <name>", "market and news source (overrides INGEST_SOURCE)").choices(SOURCE_NAMES),
    )
    .option("--dry-run", "print the messages as JSON lines on stdout instead of publishing (no Kafka needed)")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 1 failed while running, 2 bad configuration or usage.\n\n" +
        "Examples:\n" +
        "  ingest --dry-run market --now 2024-03-05T15:00:00Z\n" +
        "  KAFKA_BROKERS=localhost:9092 ingest backfill --from 2024-03-04 --to 2024-03-08\n" +
        "  ingest --source polygon news --lookback 120",
    );

  program
    .command("market")
    .description("publish the last completed minute(s) of the regular session; does nothing outside it")
    .option("--minutes <n>", "completed minutes to (re)fetch", positiveNumber, 1)
    .option("--now <instant>", "pretend the clock reads this instant (replays, demos)", instant)
    .option("--follow", "keep running, one pass every --interval seconds (needed for FINNHUB_PLAN=free)")
    .option("--interval <seconds>", "seconds between passes with --follow", positiveNumber, 15)
    .action(
      async (
        options: { minutes: number; now?: Date; follow?: boolean; interval: number },
        command: Command,
      ) => {
        process.exitCode = await withRuntime(command, [TOPICS.bars], async (config, runtime) => {
          const context = jobContext(config, runtime);
          const once = async () =>
            runMarketOnce(context, { now: options.now ?? new Date(), minutes: options.minutes });
          if (!options.follow) {
            const result = await once();
            return result.status === "ran" ? exitFor(result.failures) : EXIT.ok;
          }
          const signal = stopSignal();
          while (!signal.aborted) {
            await once();
            await sleep(options.interval * 1000, undefined, { signal }).catch(() => undefined);
          }
          return EXIT.ok;
        });
      },
    );

  program
    .command("news")
    .description("publish the articles about each ticker from the last --lookback minutes")
    .option("--lookback <minutes>", "how far back to look", positiveNumber, 60)
    .option("--now <instant>", "pretend the clock reads this instant (replays, demos)", instant)
    .action(async (options: { lookback: number; now?: Date }, command: Command) => {
      process.exitCode = await withRuntime(command, [TOPICS.news], async (config, runtime) => {
        const result = await runNewsOnce(jobContext(config, runtime), {
          now: options.now ?? new Date(),
          lookbackMinutes: options.lookback,
        });
        return exitFor(result.failures);
      });
    });

  program
    .command("backfill")
    .description("publish every bar (and the news) of the trading days from --from to --to")
    .requiredOption("--from <date>", "first exchange date, YYYY-MM-DD")
    .requiredOption("--to <date>", "last exchange date, YYYY-MM-DD (inclusive)")
    .option("--no-news", "bars only")
    .action(async (options: { from: string; to: string; news: boolean }, command: Command) => {
      process.exitCode = await withRuntime(command, [TOPICS.bars, TOPICS.news], async (config, runtime) => {
        const result = await runBackfill(jobContext(config, runtime), {
          from: options.from,
          to: options.to,
          now: new Date(),
          news: options.news,
          onProgress: (line) => console.error(line),
        });
        console.error(
          `backfill: done, ${result.days} day${result.days === 1 ? "" : "s"}, ${result.bars} bars, ${result.articles} articles`,
        );
        return exitFor(result.failures);
      });
    });

  program
    .command("sensors")
    .description("publish this device's CPU temperature and load average until stopped (SIGINT/SIGTERM)")
    .option(
      "--interval <seconds>",
      "seconds between readings (overrides SENSOR_INTERVAL_SECONDS)",
      positiveNumber,
    )
    .action(async (options: { interval?: number }, command: Command) => {
      process.exitCode = await withRuntime(command, [TOPICS.sensors], async (config, runtime) => {
        const signal = stopSignal();
        const metrics = createSensorMetrics(config.sensor.device);
        const server = await serveMetrics(config, metrics.registry);
        runtime.logger.info({ metrics: `${server.url}/metrics` }, "sensors: serving metrics");
        try {
          await runSensorLoop({
            ...runtime,
            sensor: config.sensor,
            intervalSeconds: options.interval ?? config.sensor.intervalSeconds,
            signal,
            metrics,
          });
        } finally {
          await server.close();
        }
        return EXIT.ok;
      });
    });

  return program;
}

/** Runs the CLI and returns its exit code; the one place where errors are reported. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the problem (or the help) already.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof ConfigError || error instanceof ValidationError) {
      console.error(`ingest: ${error.message}`);
      return EXIT.usage;
    }
    console.error(`ingest: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));

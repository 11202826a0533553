#!/usr/bin/env node
// The archive job's command line (the CronJob runs `archive run` every hour at :01, exchange time).
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ConfigError, EXIT_CODES, createLogger, createPool, migrate, type Logger } from "@hdp/shared";
import { ArchiveBusyError, Archiver, formatBytes, type ArchiveSummary } from "./archive/archiver.js";
import { loadArchiveConfig, storeSettings, type ArchiveConfig } from "./archive/config.js";
import { DATASET_NAMES, type DatasetName } from "./archive/datasets.js";
import { ArchiveStoreError, createS3Store } from "./archive/store.js";
import { databasePassword } from "./config.js";

/** 0 done, 1 failed while running (the store or the database unreachable), 2 bad configuration or usage. */
const EXIT = { ok: EXIT_CODES.ok, failure: EXIT_CODES.failure, usage: EXIT_CODES.badConfig } as const;

function instant(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new InvalidArgumentError("must be an ISO 8601 instant, e.g. 2024-03-05T15:01:00Z");
  return date;
}

function utcDate(value: string): Date {
  const date = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== value
  )
    throw new InvalidArgumentError("must be a date, YYYY-MM-DD");
  return date;
}

function datasetList(value: string): DatasetName[] {
  const names = value.split(",").map((s) => s.trim());
  const unknown = names.filter((n) => !DATASET_NAMES.includes(n as DatasetName));
  if (unknown.length > 0 || names.length === 0)
    throw new InvalidArgumentError(`must be a comma-separated list of ${DATASET_NAMES.join(", ")}`);
  return names as DatasetName[];
}

interface GlobalOptions {
  readonly datasets?: DatasetName[];
}

/** Settings, database and store for one command; always closes them. */
async function withArchiver(
  command: Command,
  work: (archiver: Archiver, config: ArchiveConfig, logger: Logger) => Promise<ArchiveSummary>,
): Promise<number> {
  const config = loadArchiveConfig();
  const logger = createLogger({
    service: "archive",
    level: config.LOG_LEVEL,
    secrets: [databasePassword(config.DATABASE_URL), config.ARCHIVE_S3_SECRET_ACCESS_KEY],
  });
  const controller = new AbortController();
  const onSignal = (name: string) => {
    logger.warn(`archive: ${name}: stopping; the hour being written is not published`);
    controller.abort(new Error(`stopped by ${name}`));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  const pool = createPool(config.DATABASE_URL, { max: 1, applicationName: "archive" });
  pool.on("error", () => {});
  const store = createS3Store(storeSettings(config));
  try {
    await migrate({ databaseUrl: config.DATABASE_URL, logger });
    const archiver = new Archiver({
      pool,
      store,
      logger,
      datasets: command.optsWithGlobals<GlobalOptions>().datasets,
      progress: (line) => console.error(line),
      signal: controller.signal,
    });
    const summary = await work(archiver, config, logger);
    console.error(
      `archive: done, ${summary.written} partition${summary.written === 1 ? "" : "s"} written ` +
        `(${summary.rows} rows, ${formatBytes(summary.bytes)}), ${summary.unchanged} unchanged`,
    );
    return EXIT.ok;
  } finally {
    store.close();
    await pool.end().catch(() => {});
  }
}

function buildProgram(): Command {
  const program = new Command("archive")
    .description(
      "Archive closed hours of bars, news and sensor readings from PostgreSQL to Parquet on S3-compatible\n" +
        "storage, one partition per dataset and UTC hour, each with a manifest written last.\n" +
        "Settings come from environment variables (see services/processing/README.md).",
    )
    .exitOverride()
    .addOption(
      new Option(
        "--datasets <names>",
        `datasets to archive, comma-separated (${DATASET_NAMES.join(", ")})`,
      ).argParser(datasetList),
    )
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 done, 1 failed while running, 2 bad configuration or usage.\n" +
        "A failure leaves the watermark where it was; the next run takes the hours again.\n\n" +
        "Examples:\n" +
        "  archive run\n" +
        "  archive run --now 2024-03-05T21:01:00Z\n" +
        "  archive backfill --from 2024-03-01 --to 2024-03-05\n" +
        "  archive --datasets bars backfill --from 2024-03-04 --to 2024-03-04",
    );

  program
    .command("run")
    .description(
      "archive every hour closed since the watermark (the CronJob's command), re-checking the\n" +
        "ARCHIVE_LOOKBACK_HOURS before it for late rows",
    )
    .option("--now <instant>", "pretend the clock reads this instant (replays, demos)", instant)
    .option("--lookback <hours>", "override ARCHIVE_LOOKBACK_HOURS", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("must be a whole number of hours");
      return n;
    })
    .action(async (options: { now?: Date; lookback?: number }, command: Command) => {
      process.exitCode = await withArchiver(command, (archiver, config) =>
        archiver.run(options.now ?? new Date(), options.lookback ?? config.ARCHIVE_LOOKBACK_HOURS),
      );
    });

  program
    .command("backfill")
    .description(
      "archive every hour of the UTC dates from --from to --to (inclusive) that is not archived as it is now",
    )
    .requiredOption("--from <date>", "first UTC date, YYYY-MM-DD", utcDate)
    .requiredOption("--to <date>", "last UTC date, YYYY-MM-DD (inclusive)", utcDate)
    .action(async (options: { from: Date; to: Date }, command: Command) => {
      if (options.to.getTime() < options.from.getTime())
        throw new InvalidArgumentError("--to must not be before --from");
      const end = new Date(
        Math.min(options.to.getTime() + 86_400_000, Date.now() - (Date.now() % 3_600_000)),
      );
      process.exitCode = await withArchiver(command, (archiver) => archiver.backfill(options.from, end));
    });

  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof InvalidArgumentError) {
    console.error(`archive: ${error.message}`);
    process.exitCode = EXIT.usage;
  } else if (error instanceof ConfigError) {
    console.error(`archive: ${error.message}`);
    process.exitCode = EXIT.usage;
  } else if (error instanceof ArchiveStoreError) {
    console.error(
      `archive: ${error.message}; nothing was published for the hour being written, and the watermark did not move`,
    );
    process.exitCode = error.setting === "ARCHIVE_S3_ENDPOINT" ? EXIT.failure : EXIT.usage;
  } else if (error instanceof ArchiveBusyError) {
    console.error(`archive: ${error.message}`);
    process.exitCode = EXIT.failure;
  } else {
    console.error(
      `archive: failed: ${(error as Error).message ?? String(error)}; the watermark did not move`,
    );
    process.exitCode = EXIT.failure;
  }
}

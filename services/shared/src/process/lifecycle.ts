import { ConfigError } from "../errors/errors.js";
import type { Logger } from "../log/logger.js";

/** How a service process ends: the same codes for every service (and the `ingest` CLI's usage errors). */
export const EXIT_CODES = {
  ok: 0,
  /** Failed while running, or could not start (a port taken, a database down). */
  failure: 1,
  /** Bad configuration: restarting will not help until a setting changes. */
  badConfig: 2,
} as const;

/** Ends the process; tests pass a stand-in that records the code. */
export type Exit = (code: number) => void;

const exitProcess: Exit = (code) => process.exit(code);

/**
 * Loads the service's configuration, or says what is wrong on standard error, without
 * a stack trace (no logger yet: its level is configuration), and exits with
 * `EXIT_CODES.badConfig`. Errors other than `ConfigError` are thrown on.
 */
export function configOrExit<T>(service: string, load: () => T, exit: Exit = exitProcess): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${service}: ${error.message}`);
    exit(EXIT_CODES.badConfig);
    // Only a stand-in exit returns.
    throw error;
  }
}

export interface ExitOnSignalsOptions {
  readonly logger: Logger;
  /** Finishes in-flight work and releases resources (app, pool, consumer). */
  readonly stop: () => Promise<void>;
  /** Where the signals arrive. @default process */
  readonly target?: { once(signal: NodeJS.Signals, listener: () => void): unknown };
  /** @default process.exit */
  readonly exit?: Exit;
}

/**
 * On the first SIGTERM or SIGINT: logs it, runs `stop`, and exits 0, or 1 (logged)
 * when `stop` fails.
 */
export function exitOnSignals({
  logger,
  stop,
  target = process,
  exit = exitProcess,
}: ExitOnSignalsOptions): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    try {
      await stop();
    } catch (error) {
      logger.error({ err: error }, "unclean shutdown");
      return exit(EXIT_CODES.failure);
    }
    logger.info("stopped");
    exit(EXIT_CODES.ok);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) target.once(signal, () => void shutdown(signal));
}

import { PipelineError, UNREACHABLE_SOCKET_CODES } from "../errors/errors.js";

/**
 * SQLSTATE classes that describe a passing condition: connection exceptions (08),
 * transaction rollbacks such as serialization failures and deadlocks (40),
 * insufficient resources (53) and operator intervention such as a shutdown (57).
 * See https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const RETRIABLE_SQLSTATE_CLASSES = new Set(["08", "40", "53", "57"]);

/**
 * True when a database error may pass if the statement is tried again; false when
 * the data itself is refused (constraint or data exceptions, syntax errors).
 * Errors without a SQLSTATE are network faults, hence retriable.
 */
export function isRetriableDbError(error: unknown): boolean {
  if (error instanceof PipelineError) return error.retriable;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return RETRIABLE_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

/** Wraps a database error so that {@link isRetriable} classifies it by its SQLSTATE. */
export class DatabaseError extends PipelineError {
  constructor(error: unknown) {
    super(`database: ${(error as Error)?.message ?? String(error)}`, {
      retriable: isRetriableDbError(error),
      cause: error,
    });
  }
}

/** SQLSTATEs of a server going away: admin, crash and cannot-connect-now shutdowns. */
const SHUTDOWN_SQLSTATES = new Set(["57P01", "57P02", "57P03"]);
/** What pg says, without a code, when a connection breaks or cannot be had in time. */
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

/**
 * True when `error` says the database cannot be reached right now (not that a statement is wrong): an HTTP
 * API answers 503 for it, and readiness turns false, rather than a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let at: unknown = error, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    const { code, message } = at as { code?: unknown; message?: unknown };
    if (
      typeof code === "string" &&
      (UNREACHABLE_SOCKET_CODES.has(code) || SHUTDOWN_SQLSTATES.has(code) || code.startsWith("08"))
    )
      return true;
    if (typeof message === "string" && CONNECTION_MESSAGES.test(message)) return true;
    // node-postgres' AggregateError of every address it tried (127.0.0.1 and ::1 for localhost).
    const errors = (at as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => isDatabaseUnavailable(e)))
      return true;
  }
  return false;
}

import { PipelineError } from "../errors/errors.js";

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

/**
 * Error hierarchy shared by every service. `retriable` tells a caller whether
 * repeating the same operation later can succeed (a broker or HTTP peer that is
 * down) or not (bad input, bad configuration).
 */
export class PipelineError extends Error {
  /** True when the same operation may succeed if tried again later. */
  readonly retriable: boolean;

  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable;
  }
}

/** A port to listen on is taken; `variable`, when given, is the setting to change. */
export class PortInUseError extends PipelineError {
  readonly host: string;
  readonly port: number;
  readonly variable: string | undefined;

  constructor(host: string, port: number, options: { cause: unknown; variable?: string }) {
    const taken = `${host}:${port} is already in use`;
    const { variable } = options;
    super(variable ? `${variable}: ${taken}; set ${variable} to a free port` : taken, {
      retriable: false,
      cause: options.cause,
    });
    this.host = host;
    this.port = port;
    this.variable = variable;
  }
}

/** A setting is missing or invalid; the process must not start. */
export class ConfigError extends PipelineError {
  /** One line per bad variable: `NAME: reason`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`, { retriable: false });
    this.problems = problems;
  }
}

/** A message or request does not satisfy its contract. Never retriable. */
export class ValidationError extends PipelineError {
  /** Human-readable reasons, each naming the offending field. */
  readonly reasons: readonly string[];

  constructor(reasons: readonly string[]) {
    super(reasons.join("; "), { retriable: false });
    this.reasons = reasons;
  }
}

/** A remote dependency (HTTP provider, analytics, database) failed in a way that may pass. */
export class UpstreamError extends PipelineError {
  /** HTTP status when the failure was an HTTP answer. */
  readonly status: number | undefined;

  constructor(message: string, options: { retriable: boolean; status?: number; cause?: unknown }) {
    super(message, options);
    this.status = options.status;
  }
}

/** True for errors that callers may retry; unknown errors count as retriable network faults. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof PipelineError) return error.retriable;
  return true;
}

/**
 * Node's socket error codes of a peer that cannot be reached right now (stopped, restarting, out of reach, its
 * name not resolving): a database or broker connection failing with one of these may work when tried again.
 */
export const UNREACHABLE_SOCKET_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

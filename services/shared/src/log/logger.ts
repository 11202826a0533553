import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger } from "pino";

/** Field paths whose values are always replaced, whatever they hold. */
const REDACTED_PATHS = [
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "headers.authorization",
  "*.headers.authorization",
  "headers.cookie",
  "*.headers.cookie",
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];

const SECRET_QUERY_PARAMS = /([?&](?:apiKey|apikey|api_key|token|key|access_token)=)[^&#\s"]*/g;

/** Replaces the value of credential-bearing query parameters in a URL string. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMS, "$1[REDACTED]");
}

export interface LoggerOptions {
  /** Service name written as `service` on every line. */
  readonly service: string;
  /** @default "info" */
  readonly level?: string;
  /**
   * Secret values (API keys, passwords) that must never appear in a log line,
   * wherever they occur: every occurrence is replaced by `[REDACTED]` just before
   * the line is written.
   */
  readonly secrets?: readonly (string | undefined)[];
  /** Where lines go. @default standard error */
  readonly destination?: DestinationStream;
}

/** Structured JSON logger (one object per line) that cannot print a known secret. */
export function createLogger(options: LoggerOptions): Logger {
  // Short values would redact ordinary words; real credentials are longer than this.
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === "string" && s.length >= 6);
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[REDACTED]" },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        streamWrite(line) {
          let out = redactUrl(line);
          for (const secret of secrets) out = out.split(secret).join("[REDACTED]");
          return out;
        },
      },
    },
    options.destination ?? pino.destination(2),
  );
}

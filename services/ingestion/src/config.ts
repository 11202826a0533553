import { hostname } from "node:os";
import { z } from "zod";
import { env, loadEnv, tickerField } from "@hdp/shared";

/** Where market bars and news come from. */
export const SOURCE_NAMES = ["replay", "polygon", "finnhub"] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** The tickers ingested when TICKERS is not set. */
export const DEFAULT_TICKERS = ["AAL", "AAPL", "AMD", "MSFT", "TSLA"] as const;

const KEY_FOR_SOURCE = { polygon: "POLYGON_API_KEY", finnhub: "FINNHUB_API_KEY" } as const;

/** A device name as the sensor contract wants it: a lower-case DNS-1123 label. */
function deviceName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
}

const schema = z
  .object({
    INGEST_SOURCE: z.enum(SOURCE_NAMES).default("replay"),
    TICKERS: env.list.pipe(z.array(tickerField).min(1, "must name at least one ticker")).optional(),
    KAFKA_BROKERS: env.list.optional(),
    KAFKA_CLIENT_ID: z.string().default("hdp-ingestion"),
    KAFKA_TOPIC_PREFIX: env.topicPrefix.default(""),
    POLYGON_API_KEY: z.string().optional(),
    POLYGON_BASE_URL: env.url.default("https://api.polygon.io"),
    POLYGON_CALLS_PER_MINUTE: env.positiveNumber.default(5),
    FINNHUB_API_KEY: z.string().optional(),
    FINNHUB_BASE_URL: env.url.default("https://finnhub.io"),
    FINNHUB_PLAN: z.enum(["free", "paid"]).default("free"),
    HTTP_TIMEOUT_MS: env.positiveInt.default(10_000),
    HTTP_MAX_RETRIES: env.nonNegativeInt.default(4),
    REPLAY_SEED: z.string().default("hdp"),
    SENSOR_DEVICE: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a DNS-1123 label such as pi-lab-1")
      .optional(),
    SENSOR_THERMAL_PATH: z.string().default("/sys/class/thermal/thermal_zone0/temp"),
    SENSOR_LOADAVG_PATH: z.string().default("/proc/loadavg"),
    SENSOR_INTERVAL_SECONDS: env.positiveNumber.default(15),
    /** Port of the sensor agent's `/metrics` (0 picks a free one). */
    METRICS_PORT: env.port.default(9102),
    /** Address the sensor agent's `/metrics` binds; the cluster sets 0.0.0.0. */
    METRICS_HOST: z.string().min(1).default("127.0.0.1"),
    LOG_LEVEL: env.logLevel.default("info"),
  })
  .superRefine((value, ctx) => {
    if (value.INGEST_SOURCE === "replay") return;
    const variable = KEY_FOR_SOURCE[value.INGEST_SOURCE];
    if (!value[variable]) {
      ctx.addIssue({
        code: "custom",
        path: [variable],
        message: `is required when INGEST_SOURCE=${value.INGEST_SOURCE}`,
      });
    }
  });

/** Settings of the ingestion service, parsed once from the environment. */
export interface IngestionConfig {
  /** Market and news source. @default "replay" */
  readonly source: SourceName;
  /** Tickers to ingest. @default AAL, AAPL, AMD, MSFT, TSLA */
  readonly tickers: readonly string[];
  /** Kafka connection; undefined when KAFKA_BROKERS is not set. */
  readonly kafka:
    | { readonly brokers: readonly string[]; readonly clientId: string; readonly topicPrefix: string }
    | undefined;
  readonly polygon: {
    readonly apiKey: string | undefined;
    /** @default "https://api.polygon.io" */
    readonly baseUrl: string;
    /** Client-side rate limit (the free tier allows 5). @default 5 */
    readonly callsPerMinute: number;
  };
  readonly finnhub: {
    readonly apiKey: string | undefined;
    /** @default "https://finnhub.io" */
    readonly baseUrl: string;
    /** `free` builds bars from quotes; `paid` reads the candle endpoint. @default "free" */
    readonly plan: "free" | "paid";
  };
  readonly http: {
    /** Timeout of one HTTP attempt. @default 10000 */
    readonly timeoutMs: number;
    /** Retries after the first attempt, on 429, 5xx and network errors. @default 4 */
    readonly maxRetries: number;
  };
  /** Seed of the replay source: same seed, same data. @default "hdp" */
  readonly replaySeed: string;
  readonly sensor: {
    /** @default the host name, lower-cased */
    readonly device: string;
    /** Millidegrees Celsius. @default "/sys/class/thermal/thermal_zone0/temp" */
    readonly thermalPath: string;
    /** @default "/proc/loadavg" */
    readonly loadavgPath: string;
    /** @default 15 */
    readonly intervalSeconds: number;
    /** Where the sensor agent serves `/metrics` (METRICS_HOST, METRICS_PORT). */
    readonly metrics: {
      /** @default "127.0.0.1" */
      readonly host: string;
      /** @default 9102 */
      readonly port: number;
    };
  };
  /** @default "info" */
  readonly logLevel: string;
}

/**
 * Reads the ingestion settings from the environment (the only place that does).
 * `overrides` are command-line values that win over the environment, e.g.
 * `{ INGEST_SOURCE: "polygon" }` for `--source polygon`. Throws ConfigError,
 * naming each bad variable.
 */
export function loadIngestionConfig(
  overrides: Readonly<Record<string, string | undefined>> = {},
  environment: Readonly<Record<string, string | undefined>> = process.env,
): IngestionConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const e = loadEnv(schema, { ...environment, ...defined });
  return {
    source: e.INGEST_SOURCE,
    tickers: e.TICKERS ?? [...DEFAULT_TICKERS],
    kafka:
      e.KAFKA_BROKERS && e.KAFKA_BROKERS.length > 0
        ? { brokers: e.KAFKA_BROKERS, clientId: e.KAFKA_CLIENT_ID, topicPrefix: e.KAFKA_TOPIC_PREFIX }
        : undefined,
    polygon: {
      apiKey: e.POLYGON_API_KEY,
      baseUrl: e.POLYGON_BASE_URL,
      callsPerMinute: e.POLYGON_CALLS_PER_MINUTE,
    },
    finnhub: { apiKey: e.FINNHUB_API_KEY, baseUrl: e.FINNHUB_BASE_URL, plan: e.FINNHUB_PLAN },
    http: { timeoutMs: e.HTTP_TIMEOUT_MS, maxRetries: e.HTTP_MAX_RETRIES },
    replaySeed: e.REPLAY_SEED,
    sensor: {
      device: e.SENSOR_DEVICE ?? (deviceName(hostname()) || "sensor"),
      thermalPath: e.SENSOR_THERMAL_PATH,
      loadavgPath: e.SENSOR_LOADAVG_PATH,
      intervalSeconds: e.SENSOR_INTERVAL_SECONDS,
      metrics: { host: e.METRICS_HOST, port: e.METRICS_PORT },
    },
    logLevel: e.LOG_LEVEL,
  };
}

/** Values the logger must scrub from every line. */
export function configSecrets(config: IngestionConfig): string[] {
  return [config.polygon.apiKey, config.finnhub.apiKey].filter((s): s is string => s !== undefined);
}

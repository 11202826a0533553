import { z } from "zod";
import { env, loadEnv } from "@hdp/shared";

/** Environment variables of the middle-tier; the keys are the variable names. */
export const middleTierEnvSchema = z
  .object({
    /** `postgres://` URL of the database (a real server or the PGlite socket). Required. */
    DATABASE_URL: env.url,
    /** TCP port to listen on. @default 8080 */
    PORT: env.port.default(8080),
    /** Address to bind; the cluster sets `0.0.0.0`. @default "127.0.0.1" */
    HOST: z.string().trim().min(1).default("127.0.0.1"),
    /** Port of a listener of its own that serves `/metrics`, which PORT then does not. @default unset: on PORT */
    METRICS_PORT: env.port.optional(),
    /** Address the metrics listener binds; the cluster sets `0.0.0.0`. @default HOST */
    METRICS_HOST: z.string().trim().min(1).optional(),
    /** Comma-separated origins allowed by CORS, e.g. `https://app.example.com`. @default none */
    CORS_ORIGINS: env.list.default([]),
    /** Largest number of database connections. @default 10 */
    DB_POOL_SIZE: env.positiveInt.default(10),
    /** Pino level. @default "info" */
    LOG_LEVEL: env.logLevel.default("info"),
  })
  .superRefine((value, ctx) => {
    // An address for a listener that does not start would be silently ignored.
    if (value.METRICS_HOST !== undefined && value.METRICS_PORT === undefined) {
      ctx.addIssue({ code: "custom", path: ["METRICS_HOST"], message: "is set but METRICS_PORT is not" });
    }
  });

/** Where `/metrics` is served when it has a listener of its own. */
export interface MetricsListenerConfig {
  /** METRICS_HOST. @default the API's host */
  readonly host: string;
  /** METRICS_PORT. */
  readonly port: number;
}

/** Typed settings of the middle-tier. */
export interface MiddleTierConfig {
  readonly databaseUrl: string;
  readonly port: number;
  readonly host: string;
  /** `/metrics` on a listener of its own; undefined: on the API's port. */
  readonly metrics: MetricsListenerConfig | undefined;
  readonly corsOrigins: readonly string[];
  readonly dbPoolSize: number;
  readonly logLevel: z.infer<typeof env.logLevel>;
}

/**
 * Reads the service settings from the environment, once, at start.
 *
 * @throws ConfigError naming every bad variable and why.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): MiddleTierConfig {
  const parsed = loadEnv(middleTierEnvSchema, source);
  return {
    databaseUrl: parsed.DATABASE_URL,
    port: parsed.PORT,
    host: parsed.HOST,
    metrics:
      parsed.METRICS_PORT === undefined
        ? undefined
        : { host: parsed.METRICS_HOST ?? parsed.HOST, port: parsed.METRICS_PORT },
    corsOrigins: parsed.CORS_ORIGINS,
    dbPoolSize: parsed.DB_POOL_SIZE,
    logLevel: parsed.LOG_LEVEL,
  };
}

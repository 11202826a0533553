import { z } from "zod";
import { env, loadEnv } from "@hdp/shared";

/** Environment variables of the middle-tier; the keys are the variable names. */
export const middleTierEnvSchema = z.object({
  /** `postgres://` URL of the database (a real server or the PGlite socket). Required. */
  DATABASE_URL: env.url,
  /** TCP port to listen on. @default 8080 */
  PORT: env.port.default(8080),
  /** Address to bind; the cluster sets `0.0.0.0`. @default "127.0.0.1" */
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  /** Comma-separated origins allowed by CORS, e.g. `https://app.example.com`. @default none */
  CORS_ORIGINS: env.list.default([]),
  /** Largest number of database connections. @default 10 */
  DB_POOL_SIZE: env.positiveInt.default(10),
  /** Pino level. @default "info" */
  LOG_LEVEL: env.logLevel.default("info"),
});

/** Typed settings of the middle-tier. */
export interface MiddleTierConfig {
  readonly databaseUrl: string;
  readonly port: number;
  readonly host: string;
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
    corsOrigins: parsed.CORS_ORIGINS,
    dbPoolSize: parsed.DB_POOL_SIZE,
    logLevel: parsed.LOG_LEVEL,
  };
}

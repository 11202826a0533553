import { z } from "zod";
import { env, loadEnv } from "@hdp/shared";
import { SENTIMENT_MODEL_NAMES } from "./model/sentiment-model.js";

/** Environment variables of the analytics service; the keys are the variable names. */
export const analyticsEnvSchema = z.object({
  /** TCP port to listen on. @default 8082 */
  PORT: env.port.default(8082),
  /** Address to bind; the cluster sets `0.0.0.0`. @default "127.0.0.1" */
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  /** Pino level. @default "info" */
  LOG_LEVEL: env.logLevel.default("info"),
  /** Largest request body accepted; beyond it the answer is 413. @default 1 MiB */
  BODY_LIMIT_BYTES: env.positiveInt.default(1024 * 1024),
  /** Which sentiment model scores articles. @default "vader-finance" */
  SENTIMENT_MODEL: z.enum(SENTIMENT_MODEL_NAMES).default("vader-finance"),
});

/** Typed settings of the analytics service. */
export interface AnalyticsConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: z.infer<typeof env.logLevel>;
  readonly bodyLimitBytes: number;
  readonly sentimentModel: (typeof SENTIMENT_MODEL_NAMES)[number];
}

/**
 * Reads the service settings from the environment, once, at start.
 *
 * @throws ConfigError naming every bad variable and why.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): AnalyticsConfig {
  const parsed = loadEnv(analyticsEnvSchema, source);
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    logLevel: parsed.LOG_LEVEL,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    sentimentModel: parsed.SENTIMENT_MODEL,
  };
}

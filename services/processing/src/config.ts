import { env, loadEnv } from "@hdp/shared";
import { z } from "zod";

const schema = z.object({
  /** PostgreSQL URL (`postgres://user:password@host:5432/db`). */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
  /** Comma-separated Kafka bootstrap brokers. */
  KAFKA_BROKERS: env.list.pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, "must be host:port")).min(1)),
  KAFKA_GROUP_ID: z.string().min(1).default("processing"),
  KAFKA_CLIENT_ID: z.string().min(1).default("processing"),
  /** Prepended to every topic name, so that environments can share one Kafka cluster. */
  KAFKA_TOPIC_PREFIX: env.topicPrefix.default(""),
  /** How soon a crashed member's partitions move to another member. */
  KAFKA_SESSION_TIMEOUT_MS: env.positiveInt.min(6_000).default(30_000),
  ANALYTICS_URL: env.url.default("http://127.0.0.1:8082"),
  ANALYTICS_TIMEOUT_MS: env.positiveInt.default(10_000),
  ANALYTICS_BATCH_SIZE: env.positiveInt.max(256).default(64),
  DB_POOL_SIZE: env.positiveInt.max(100).default(5),
  /** Port of the health and metrics endpoints. */
  PORT: env.port.default(8081),
  HOST: z.string().default("127.0.0.1"),
  MIGRATE_ON_START: env.boolean.default(true),
  LOG_LEVEL: env.logLevel.default("info"),
});

export type ProcessingConfig = z.infer<typeof schema>;

/** Reads the processing service's settings; throws ConfigError naming every bad variable. */
export function loadProcessingConfig(
  source: Record<string, string | undefined> = process.env,
): ProcessingConfig {
  return loadEnv(schema, source);
}

/** The password inside a database URL, so that the logger can scrub it. */
export function databasePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

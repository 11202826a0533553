import { env, loadEnv } from "@hdp/shared";
import { z } from "zod";
import type { StoreSettings } from "./store.js";

/** The store's settings: what `npm run lake` needs too. */
const storeSchema = z.object({
  /** The S3-compatible server; unset means AWS S3 in ARCHIVE_S3_REGION. */
  ARCHIVE_S3_ENDPOINT: z
    .url("must be the store's http(s) URL, e.g. http://127.0.0.1:8333")
    .refine((u) => /^https?:\/\//.test(u), "must be an http:// or https:// URL")
    .optional(),
  ARCHIVE_S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]+$/, "must be a region name, e.g. us-east-1")
    .default("us-east-1"),
  ARCHIVE_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a bucket name (3-63 of a-z, 0-9, '.', '-')"),
  /** Prepended to every key, e.g. `prod/`; empty or ending in `/`. */
  ARCHIVE_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9._=-]+\/)*$/, "must be empty or folder names each ending in '/', e.g. prod/")
    .default(""),
  ARCHIVE_S3_ACCESS_KEY_ID: z.string().min(1),
  ARCHIVE_S3_SECRET_ACCESS_KEY: z.string().min(1),
  /** Path-style addressing; S3-compatible servers need it, AWS S3 does not. Default: on with an endpoint. */
  ARCHIVE_S3_FORCE_PATH_STYLE: env.boolean.optional(),
});

const schema = storeSchema.extend({
  /** PostgreSQL URL (`postgres://user:password@host:5432/db`). */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
  /** Archived hours before the watermark that every run re-checks for late rows. */
  ARCHIVE_LOOKBACK_HOURS: env.nonNegativeInt.max(24 * 31).default(72),
  LOG_LEVEL: env.logLevel.default("info"),
});

export type ArchiveConfig = Omit<z.infer<typeof schema>, "ARCHIVE_S3_FORCE_PATH_STYLE"> & {
  readonly ARCHIVE_S3_FORCE_PATH_STYLE: boolean;
};

/** The archive job's settings; throws ConfigError naming every bad variable. */
export function loadArchiveConfig(source: Record<string, string | undefined> = process.env): ArchiveConfig {
  const config = loadEnv(schema, source);
  return {
    ...config,
    ARCHIVE_S3_FORCE_PATH_STYLE:
      config.ARCHIVE_S3_FORCE_PATH_STYLE ?? config.ARCHIVE_S3_ENDPOINT !== undefined,
  };
}

type StoreConfig = Omit<z.infer<typeof storeSchema>, "ARCHIVE_S3_FORCE_PATH_STYLE"> & {
  readonly ARCHIVE_S3_FORCE_PATH_STYLE?: boolean;
};

/** Only the store's settings (`ARCHIVE_S3_*`, `ARCHIVE_BUCKET`, `ARCHIVE_PREFIX`); throws ConfigError. */
export function loadStoreSettings(source: Record<string, string | undefined> = process.env): StoreSettings {
  return storeSettings(loadEnv(storeSchema, source));
}

export function storeSettings(config: StoreConfig): StoreSettings {
  return {
    ...(config.ARCHIVE_S3_ENDPOINT ? { endpoint: config.ARCHIVE_S3_ENDPOINT.replace(/\/+$/, "") } : {}),
    region: config.ARCHIVE_S3_REGION,
    bucket: config.ARCHIVE_BUCKET,
    prefix: config.ARCHIVE_PREFIX,
    accessKeyId: config.ARCHIVE_S3_ACCESS_KEY_ID,
    secretAccessKey: config.ARCHIVE_S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.ARCHIVE_S3_FORCE_PATH_STYLE ?? config.ARCHIVE_S3_ENDPOINT !== undefined,
  };
}

import { z } from "zod";
import { bucketName, httpsUrl } from "./fields.js";
import type { Problem } from "./rules.js";

/** The archive's bucket when `archive.bucket` is not set. */
export const DEFAULT_ARCHIVE_BUCKET = "hdp-archive";
/** The database backups' bucket on the archive's store when `backups.bucket` is not set. */
export const DEFAULT_BACKUPS_BUCKET = "hdp-backups";
/** The region the archive job signs its requests for when the store names none. */
export const DEFAULT_S3_REGION = "us-east-1";

/** An S3-compatible store outside the cluster (keys: the secrets archiveAccessKeyId, archiveSecretAccessKey). */
export const externalStoreSchema = z.object({
  /** The store's API, e.g. `https://fra1.digitaloceanspaces.com`. */
  endpoint: httpsUrl("the store"),
  /** The region requests are signed for. @default "us-east-1" */
  region: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, "must be a region name such as us-east-1 or fra1")
    .default(DEFAULT_S3_REGION),
});

/**
 * A key prefix: empty, or path segments each followed by `/` (`dev/`, `archive/dev/`); no leading `/`, and no
 * segment starts with `.` (so no `..`).
 */
const keyPrefix = z
  .string()
  .regex(
    /^([A-Za-z0-9_][A-Za-z0-9._-]*\/)*$/,
    'must be empty or end with "/", without a leading "/" (e.g. "dev/" or "archive/dev/")',
  );

/**
 * The hourly archive (issue 13): the processing service's `archive` CronJob writes the last closed hour of
 * bars, news and sensor readings as Parquet to S3-compatible storage. `store` is `"in-cluster"` (SeaweedFS,
 * which the platform deploys on a cloud worker, with a bucket and credentials of its own) or an external
 * endpoint.
 */
export const archiveSchema = z.object({
  /** `"in-cluster"` (SeaweedFS on a cloud worker's volume) or `{ endpoint, region }`. @default "in-cluster" */
  store: z.union([z.literal("in-cluster"), externalStoreSchema]).default("in-cluster"),
  /** The bucket: created by the platform on the in-cluster store; must exist on an external one. @default "hdp-archive" */
  bucket: bucketName.default(DEFAULT_ARCHIVE_BUCKET),
  /** Prefix of every key the job writes. @default "<stack>/" (so that stacks may share a bucket) */
  prefix: keyPrefix.optional(),
  /** The in-cluster store's volume, GiB (k3s's local-path storage on a cloud worker). @default 20 */
  storageGi: z.number().int().min(1).max(1000).default(20),
  /**
   * Archived hours before the job's watermark that every run re-checks for late rows (missed hours are taken
   * from the watermark whatever this is). @default 72
   */
  lookbackHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 31)
    .default(72),
});

export type ArchiveConfig = z.infer<typeof archiveSchema>;
export type ExternalStore = z.infer<typeof externalStoreSchema>;

/** The prefix of the archive's keys: the configured one, else `<stack>/`. */
export const archivePrefix = (archive: Pick<ArchiveConfig, "prefix">, stack: string): string =>
  archive.prefix ?? `${stack}/`;

/** Whether the archive's store is the SeaweedFS the platform deploys. */
export const inClusterStore = (archive: Pick<ArchiveConfig, "store"> | undefined): boolean =>
  archive?.store === "in-cluster";

/** The settings these rules read. */
interface StoreSettings {
  readonly workers: { readonly count: number };
  readonly archive?: ArchiveConfig;
  readonly backups?: {
    readonly endpoint?: string;
    readonly store?: "archive";
    readonly bucket?: string;
  };
}

/** The bucket of the database backups: the configured one, else (on the archive's store) `hdp-backups`. */
export const backupsBucket = (backups: { readonly bucket?: string }): string =>
  backups.bucket ?? DEFAULT_BACKUPS_BUCKET;

/** Where the database backups go, when the stack has them: their own endpoint, or the archive's store. */
export type BackupStore =
  | { readonly kind: "endpoint"; readonly endpoint: string; readonly bucket: string }
  | { readonly kind: "archive-external"; readonly endpoint: string; readonly bucket: string }
  | { readonly kind: "archive-in-cluster"; readonly bucket: string };

/** The backups' store, resolved (after {@link archiveProblems} passed). Pure. */
export function backupStore(config: StoreSettings): BackupStore | undefined {
  const { backups, archive } = config;
  if (!backups) return undefined;
  if (backups.store !== "archive") {
    if (!backups.endpoint) throw new Error("backupStore: backups without endpoint or store");
    return { kind: "endpoint", endpoint: backups.endpoint, bucket: backupsBucket(backups) };
  }
  if (!archive) throw new Error('backupStore: backups.store "archive" without archive');
  return archive.store === "in-cluster"
    ? { kind: "archive-in-cluster", bucket: backupsBucket(backups) }
    : { kind: "archive-external", endpoint: archive.store.endpoint, bucket: backupsBucket(backups) };
}

/**
 * The S3-compatible store outside the cluster that the control plane's etcd snapshots upload to, and whose
 * keys they use: the backups' store unless that is the in-cluster one. A store the cluster holds cannot
 * restore that cluster (the snapshot would be inside the cluster being recreated), so with backups on the
 * in-cluster archive store the snapshots stay on the servers' disks.
 */
export function offClusterSnapshotStore(
  config: StoreSettings,
): { readonly endpoint: string; readonly bucket: string; readonly keys: "backup" | "archive" } | undefined {
  const store = backupStore(config);
  if (!store || store.kind === "archive-in-cluster") return undefined;
  return {
    endpoint: store.endpoint,
    bucket: store.bucket,
    keys: store.kind === "endpoint" ? "backup" : "archive",
  };
}

/**
 * The rules of `archive` and of `backups` across keys: the in-cluster store needs a cloud worker for its
 * volume; the backups name exactly one store, and one that exists; they keep a bucket of their own.
 */
export function archiveProblems(config: StoreSettings): Problem[] {
  const problems: Problem[] = [];
  const { archive, backups } = config;
  if (inClusterStore(archive) && config.workers.count === 0) {
    problems.push({
      key: "archive.store",
      reason:
        "the in-cluster store keeps its volume on a cloud worker, and the stack has none: give it a worker " +
        "(workers.count) or set archive.store to an external endpoint ({ endpoint, region })",
    });
  }
  if (!backups) return problems;
  if (backups.store === "archive") {
    if (backups.endpoint !== undefined) {
      problems.push({
        key: "backups.store",
        reason:
          '"archive" puts the backups on the archive\'s store, and backups.endpoint names another: set one of the two',
      });
    }
    if (!archive) {
      problems.push({
        key: "backups.store",
        reason:
          '"archive" puts the backups on the archive\'s store, and archive is not configured: set archive too',
      });
    } else if (backupsBucket(backups) === archive.bucket) {
      problems.push({
        key: "backups.bucket",
        reason:
          `"${archive.bucket}" is the archive's bucket (archive.bucket): the backups need a bucket of their own ` +
          `(default "${DEFAULT_BACKUPS_BUCKET}")`,
      });
    }
  } else if (backups.endpoint === undefined) {
    problems.push({
      key: "backups",
      reason:
        'needs endpoint (an S3-compatible store of its own, keys backupAccessKeyId and backupSecretAccessKey) or store: "archive" (the archive\'s store)',
    });
  } else if (backups.bucket === undefined) {
    problems.push({ key: "backups.bucket", reason: "is required with backups.endpoint" });
  }
  return problems;
}

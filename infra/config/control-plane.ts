import { z } from "zod";
import type { Problem } from "./rules.js";

/** One field of a cron schedule: digits, names (`mon`, `jan`) and `*`, `/`, `,`, `-`. */
const CRON_FIELD = "[0-9A-Za-z*/,-]+";

/** A cron schedule of five fields: minute, hour, day of month, month, day of week. */
export const cronSchedule = z
  .string()
  .regex(
    new RegExp(`^${CRON_FIELD}( ${CRON_FIELD}){4}$`),
    'must be a cron schedule of 5 fields (minute hour day-of-month month day-of-week) such as "0 */6 * * *"',
  );

/** An etcd snapshot as `k3s etcd-snapshot ls` names it, or an absolute path of a file on the first server. */
export const snapshotName = z
  .string()
  .regex(
    /^(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$|^[A-Za-z0-9_][A-Za-z0-9._-]*$/,
    "must be a snapshot name as `k3s etcd-snapshot ls` lists it, or an absolute path of a file on the first server",
  );

const DEFAULT_SNAPSHOTS = { schedule: "0 */6 * * *", retention: 28 } as const;

/**
 * The k3s control plane's datastore: embedded etcd on every server, its scheduled snapshots (uploaded to the
 * `backups` storage when set), and a restore of the first server from a snapshot.
 */
export const controlPlaneSchema = z
  .object({
    /** Scheduled etcd snapshots, on every server. @default every 6 hours, 28 kept (a week) */
    snapshots: z
      .object({
        /** When, as a 5-field cron schedule in UTC. @default "0 *\/6 * * *" */
        schedule: cronSchedule.default(DEFAULT_SNAPSHOTS.schedule),
        /** How many snapshots each server keeps. @default 28 */
        retention: z.number().int().min(1).default(DEFAULT_SNAPSHOTS.retention),
      })
      .default(DEFAULT_SNAPSHOTS),
    /**
     * Start the first server from this snapshot when it is created (a new stack, or its droplet replaced): a
     * snapshot name in the `backups` storage, or an absolute path of a file on the server. @default none
     */
    restore: z.object({ snapshot: snapshotName }).optional(),
  })
  .default({ snapshots: DEFAULT_SNAPSHOTS });

export type ControlPlaneConfig = z.infer<typeof controlPlaneSchema>;

/**
 * A restore by name fetches the snapshot from S3, which only a `backups` store outside the cluster provides:
 * with the backups on the in-cluster archive store the servers upload no snapshot (a cluster cannot be
 * restored from a store it holds itself), so a name is refused there too.
 */
export function controlPlaneProblems(config: {
  readonly controlPlane: ControlPlaneConfig;
  readonly backups?: { readonly store?: "archive" };
  readonly archive?: { readonly store: unknown };
}): Problem[] {
  const snapshot = config.controlPlane.restore?.snapshot;
  if (snapshot === undefined || snapshot.startsWith("/")) return [];
  if (!config.backups) {
    return [
      {
        key: "controlPlane.restore.snapshot",
        reason:
          `"${snapshot}" names a snapshot in S3-compatible storage, and the stack has none: set backups ` +
          "(the storage the snapshots are uploaded to), or give the absolute path of a snapshot file on the first server",
      },
    ];
  }
  if (config.backups.store === "archive" && config.archive?.store === "in-cluster") {
    return [
      {
        key: "controlPlane.restore.snapshot",
        reason:
          `"${snapshot}" names a snapshot in S3-compatible storage, and the stack's backups are on the in-cluster ` +
          'archive store (backups.store "archive", archive.store "in-cluster"), which takes no etcd snapshots: the ' +
          "cluster being restored would hold its own snapshot. Give the absolute path of a snapshot file on the " +
          "first server, or put backups (or the archive) on an external endpoint",
      },
    ];
  }
  return [];
}

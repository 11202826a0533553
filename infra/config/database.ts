import { createHash } from "node:crypto";
import { z } from "zod";
import type { Problem } from "./rules.js";

/** Name of the CloudNativePG Cluster, which is also the server name of its backups until a restore. */
const CLUSTER = "pg";

/** Bootstrap the PostgreSQL cluster from the backups in the `backups` bucket instead of an empty database. */
export const restoreSchema = z.object({
  /** Server name of the backed-up cluster in the bucket (`pg`, or `pg-r…` after an earlier restore). */
  source: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/, "must be the server name of a backed-up cluster, e.g. pg"),
  /** Recover up to this instant (ISO 8601 with offset). @default the last archived WAL */
  targetTime: z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 instant with offset, e.g. 2026-12-01T09:30:00Z" })
    .optional(),
});

export const databaseSchema = z.object({ restore: restoreSchema.optional() }).default({});

export type DatabaseRestore = z.infer<typeof restoreSchema>;

/**
 * Server name under which a cluster restored from `restore` archives its own WALs and backups: a new one,
 * because CloudNativePG refuses to archive into a non-empty path (the source's). Deterministic, so that a
 * second run of the same stack file renders the same Cluster.
 */
export function restoredServerName(restore: DatabaseRestore): string {
  const digest = createHash("sha256")
    .update(`${restore.source}@${restore.targetTime ?? "latest"}`)
    .digest("hex");
  return `${CLUSTER}-r${digest.slice(0, 8)}`;
}

/**
 * A restore needs the store it restores from, and a point in time inside what was backed up: not before the
 * first backup the stack deployed (`backupsSince`, when known), not in the future. `now` is passed in.
 */
export function restoreProblems(
  config: { readonly backups?: unknown; readonly database: { readonly restore?: DatabaseRestore } },
  backupsSince: string | undefined,
  now: Date,
): Problem[] {
  const restore = config.database.restore;
  if (!restore) return [];
  if (!config.backups) {
    return [
      {
        key: "database.restore",
        reason: "restores from the backups' bucket, and backups are not configured: set backups too",
      },
    ];
  }
  const problems: Problem[] = [];
  if (restore.targetTime) {
    const target = Date.parse(restore.targetTime);
    if (backupsSince && target < Date.parse(backupsSince)) {
      problems.push({
        key: "database.restore.targetTime",
        reason: `${restore.targetTime} is before the first backup (backups since ${backupsSince}): nothing to recover to`,
      });
    }
    if (target > now.getTime()) {
      problems.push({
        key: "database.restore.targetTime",
        reason: `${restore.targetTime} is in the future (now ${now.toISOString()})`,
      });
    }
  }
  return problems;
}

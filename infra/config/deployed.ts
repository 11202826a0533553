import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Problem } from "./rules.js";
import type { StackConfig } from "./schema.js";
import { restoreProblems, restoreSchema, type DatabaseRestore } from "./database.js";
import { k3sVersionProblems } from "./upgrade-rules.js";

/**
 * What the last deployment of a stack recorded about itself, as its `deployed` output. The next run reads it
 * back (a StackReference to the stack itself) before it declares anything, so that the checks which need the
 * past (no k3s downgrade, no jump of two minors, no restore to before the first backup) compare with what
 * was deployed, never with a guess. Not secret: versions, node names and an instant.
 */
export interface DeployedState {
  /** The `k3sVersion` of the last deployment. */
  readonly k3sVersion: string;
  /** Node name → the k3s release its bootstrap installed; later versions come from the upgrade Plans. */
  readonly nodes: Readonly<Record<string, string>>;
  /** When a deployment first enabled PostgreSQL backups (ISO 8601); absent while they are off. */
  readonly backupsSince?: string;
  /**
   * The `database.restore` the running PostgreSQL cluster was bootstrapped from, if it was. Kept after the
   * setting is removed from the stack file, so that removing it never replaces the restored cluster with an
   * empty one; a different restore replaces it (and is recorded instead).
   */
  readonly restoredFrom?: DatabaseRestore;
}

/** Name of the stack output that holds {@link DeployedState}. */
export const DEPLOYED_OUTPUT = "deployed";

const deployedStateSchema = z.object({
  k3sVersion: z.string().min(1),
  nodes: z.record(z.string(), z.string()),
  backupsSince: z.iso.datetime({ offset: true }).optional(),
  restoredFrom: restoreSchema.optional(),
});

/**
 * Reads a previous deployment's `deployed` output. Undefined when the stack has never been deployed (or was
 * deployed before this output existed); a malformed value is an error naming the output, not a silent reset.
 */
export function parseDeployedState(value: unknown): DeployedState | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = deployedStateSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `the stack's "${DEPLOYED_OUTPUT}" output of its last deployment is not readable ` +
        `(${parsed.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ")}); ` +
        `check it with: pulumi stack output ${DEPLOYED_OUTPUT} --json`,
    );
  }
  return parsed.data;
}

/**
 * The last deployment's state of the current stack, through a StackReference to the stack itself (a read:
 * it creates nothing). Resolves before any resource of the program is declared.
 */
export async function readDeployedState(): Promise<DeployedState | undefined> {
  const self = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
  const reference = new pulumi.StackReference("deployed-state", { name: self });
  const details = await reference.getOutputDetails(DEPLOYED_OUTPUT);
  return parseDeployedState(details.value ?? details.secretValue);
}

/**
 * The state this deployment records: the configured k3s version, the release each node's bootstrap is given
 * (removed nodes drop out), the first instant of backups and the restore the database was made from.
 * `config` is the one the program deploys ({@link withRecordedRestore} applied). Pure: `now` is passed in.
 */
export function nextDeployedState(
  config: StackConfig,
  installVersions: Readonly<Record<string, string>>,
  previous: DeployedState | undefined,
  now: Date,
): DeployedState {
  const nodes = { ...installVersions };
  const backupsSince = config.backups ? (previous?.backupsSince ?? now.toISOString()) : undefined;
  const restoredFrom = config.backups ? config.database.restore : undefined;
  return {
    k3sVersion: config.k3sVersion,
    nodes,
    ...(backupsSince ? { backupsSince } : {}),
    ...(restoredFrom ? { restoredFrom } : {}),
  };
}

/**
 * The configuration the program deploys: the stack file's, with the recorded restore kept when the stack
 * file no longer names one. CloudNativePG reads a Cluster's bootstrap only when it creates it, so the
 * program replaces the Cluster when the bootstrap changes; without this, removing `database.restore` after
 * a restore would delete the restored cluster and create an empty one.
 */
export function withRecordedRestore(config: StackConfig, previous: DeployedState | undefined): StackConfig {
  const recorded = previous?.restoredFrom;
  if (config.database.restore || !recorded || !config.backups) return config;
  return { ...config, database: { ...config.database, restore: recorded } };
}

/** A restored cluster's bootstrap reads the backups' store: removing `backups` would replace it. */
function recordedRestoreProblems(config: StackConfig, previous: DeployedState | undefined): Problem[] {
  const recorded = previous?.restoredFrom;
  if (!recorded || config.backups) return [];
  return [
    {
      key: "backups",
      reason:
        `the running PostgreSQL cluster was restored from the backups of "${recorded.source}" ` +
        `(pulumi stack output deployed: restoredFrom), and its bootstrap reads them from this store: ` +
        `removing backups would replace it with an empty database. Keep backups set`,
    },
  ];
}

/** The k3s release a node's bootstrap installs: the one it was first installed with, if it exists already. */
export function installVersionOf(
  config: StackConfig,
  node: string,
  previous: DeployedState | undefined,
): string {
  return previous?.nodes[node] ?? config.k3sVersion;
}

/** Every problem of the configuration against what was deployed (each names its key). */
export function checkAgainstDeployed(
  config: StackConfig,
  previous: DeployedState | undefined,
  now: Date = new Date(),
): Problem[] {
  return [
    ...k3sVersionProblems(config, previous),
    ...restoreProblems(config, previous?.backupsSince, now),
    ...recordedRestoreProblems(config, previous),
  ];
}

import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Problem } from "./rules.js";
import type { StackConfig } from "./schema.js";
import { restoreProblems } from "./database.js";
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
}

/** Name of the stack output that holds {@link DeployedState}. */
export const DEPLOYED_OUTPUT = "deployed";

const deployedStateSchema = z.object({
  k3sVersion: z.string().min(1),
  nodes: z.record(z.string(), z.string()),
  backupsSince: z.iso.datetime({ offset: true }).optional(),
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
 * (removed nodes drop out), and the first instant of backups. Pure: `now` is passed in.
 */
export function nextDeployedState(
  config: StackConfig,
  installVersions: Readonly<Record<string, string>>,
  previous: DeployedState | undefined,
  now: Date,
): DeployedState {
  const nodes = { ...installVersions };
  const backupsSince = config.backups ? (previous?.backupsSince ?? now.toISOString()) : undefined;
  return { k3sVersion: config.k3sVersion, nodes, ...(backupsSince ? { backupsSince } : {}) };
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
  return [...k3sVersionProblems(config, previous), ...restoreProblems(config, previous?.backupsSince, now)];
}

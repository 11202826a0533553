import * as pulumi from "@pulumi/pulumi";
import {
  checkAgainstDeployed,
  readDeployedState,
  withRecordedRestore,
  type DeployedState,
} from "./deployed.js";
import { StackConfigError, parseStackConfig } from "./parse.js";
import { stackConfigSchema, type StackConfig } from "./schema.js";
import { PROJECT } from "./stack-file.js";

/** Secret settings, set with `pulumi config set --secret`, never in the stack files. */
export const SECRET_KEYS = [
  "sshPrivateKey",
  "polygonApiKey",
  "finnhubApiKey",
  "backupAccessKeyId",
  "backupSecretAccessKey",
  "archiveAccessKeyId",
  "archiveSecretAccessKey",
  "alertWebhookUrl",
  "alertSmtpPassword",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/** Which secret keys a configuration needs. */
export function requiredSecrets(config: StackConfig): SecretKey[] {
  return [
    "sshPrivateKey",
    ...(config.services.source === "polygon" ? (["polygonApiKey"] as const) : []),
    ...(config.services.source === "finnhub" ? (["finnhubApiKey"] as const) : []),
    // Backups on the archive's store use its keys (or, in the cluster, the generated ones).
    ...(config.backups && config.backups.store !== "archive"
      ? (["backupAccessKeyId", "backupSecretAccessKey"] as const)
      : []),
    ...(config.archive && config.archive.store !== "in-cluster"
      ? (["archiveAccessKeyId", "archiveSecretAccessKey"] as const)
      : []),
    ...alertingSecrets(config),
  ];
}

/** The secrets of the configured alert receivers: the webhook's URL, the SMTP password. */
function alertingSecrets(config: StackConfig): SecretKey[] {
  const { enabled, alerting } = config.monitoring;
  if (!enabled) return [];
  return [
    ...(alerting.webhook ? (["alertWebhookUrl"] as const) : []),
    ...(alerting.email?.username ? (["alertSmtpPassword"] as const) : []),
  ];
}

/** What is wrong with a secret's value, for the secrets with a format; never repeats the value. */
export function secretValueProblem(key: SecretKey, value: string): string | undefined {
  if (key !== "alertWebhookUrl") return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  return protocol === "https:" || protocol === "http:"
    ? undefined
    : "must be an http or https URL (the value is not shown: it is a secret)";
}

export interface StackInputs {
  readonly stack: string;
  readonly config: StackConfig;
  readonly sshPrivateKey: pulumi.Output<string>;
  /** The other secret settings that are set (each a secret Output). */
  readonly secrets: Partial<Record<Exclude<SecretKey, "sshPrivateKey">, pulumi.Output<string>>>;
  /** What the stack's last deployment recorded; undefined before its first. */
  readonly deployed?: DeployedState;
}

/** Whether the engine passed a key as a secret (the SDK exports this without declaring it). */
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean })
  .isConfigSecret;

/**
 * A config value as the engine passes it: objects and lists as JSON text, anything else
 * as the text the stack file holds. `pulumi config set k3sVersion 1.31` stores the string
 * "1.31", so only JSON of an object or a list is decoded: "1.31" stays text, and "2" for
 * an object key stays text the schema refuses by name.
 */
function decode(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Reads the stack's settings through Pulumi's config (as `pulumi up` and the offline
 * plan see them), validates them all at once, and checks the secret ones are set,
 * and set as secrets. Throws {@link StackConfigError} listing every problem before
 * any resource is registered.
 */
export function loadStackInputs(): StackInputs {
  const stack = pulumi.getStack();
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(stackConfigSchema.shape)) {
    const text = pulumi.runtime.getConfig(`${PROJECT}:${key}`);
    if (text !== undefined) raw[key] = decode(text);
  }
  let config: StackConfig | undefined;
  const problems: { key: string; reason: string }[] = [];
  try {
    config = parseStackConfig(raw, stack);
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    problems.push(...error.problems);
  }
  const required = new Set<SecretKey>(config ? requiredSecrets(config) : ["sshPrivateKey"]);
  const present: SecretKey[] = [];
  for (const key of SECRET_KEYS) {
    const full = `${PROJECT}:${key}`;
    if (pulumi.runtime.getConfig(full) === undefined) {
      if (required.has(key)) {
        problems.push({ key, reason: `is required: pulumi config set --secret ${key} < <file>` });
      }
    } else if (isConfigSecret && !isConfigSecret(full)) {
      problems.push({ key, reason: `is stored in plain text: set it again with --secret` });
    } else {
      const problem = secretValueProblem(key, pulumi.runtime.getConfig(full)!);
      if (problem) problems.push({ key, reason: problem });
      else present.push(key);
    }
  }
  if (problems.length > 0 || !config) throw new StackConfigError(stack, problems);
  const pulumiConfig = new pulumi.Config();
  const secrets: StackInputs["secrets"] = {};
  for (const key of present) if (key !== "sshPrivateKey") secrets[key] = pulumiConfig.requireSecret(key);
  return { stack, config, sshPrivateKey: pulumiConfig.requireSecret("sshPrivateKey"), secrets };
}

/**
 * {@link loadStackInputs}, then the stack's last deployment read back and the settings checked against it
 * (no k3s downgrade, no restore to before the first backup, …). Throws {@link StackConfigError} naming every
 * key at fault before any resource is declared.
 */
export async function loadStack(): Promise<StackInputs> {
  return withDeployedState(loadStackInputs());
}

/** The inputs checked against, and completed with, the stack's last deployment (see {@link loadStack}). */
export async function withDeployedState(inputs: StackInputs, now: Date = new Date()): Promise<StackInputs> {
  const deployed = await readDeployedState();
  const problems = checkAgainstDeployed(inputs.config, deployed, now);
  if (problems.length > 0) throw new StackConfigError(inputs.stack, problems);
  return deployed ? { ...inputs, config: withRecordedRestore(inputs.config, deployed), deployed } : inputs;
}

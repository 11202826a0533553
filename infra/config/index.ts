export { parseStackConfig, StackConfigError } from "./parse.js";
export { checkRules, cloudNodeNames, type Problem } from "./rules.js";
export { stackConfigSchema, type OnPremNode, type Reach, type StackConfig } from "./schema.js";
export { DIGITALOCEAN_REGIONS, HETZNER_LOCATIONS } from "./fields.js";
export {
  DEFAULT_S3_REGION,
  archivePrefix,
  backupStore,
  inClusterStore,
  offClusterSnapshotStore,
  type ArchiveConfig,
  type BackupStore,
  type ExternalStore,
} from "./archive.js";
export { memoryBytes, type EmailReceiver, type MonitoringConfig } from "./monitoring.js";
export { PROJECT, engineConfig, readStackFile, type StackFile } from "./stack-file.js";
export {
  DEPLOYED_OUTPUT,
  installVersionOf,
  nextDeployedState,
  parseDeployedState,
  type DeployedState,
} from "./deployed.js";
export {
  loadStack,
  loadStackInputs,
  withDeployedState,
  requiredSecrets,
  SECRET_KEYS,
  type SecretKey,
  type StackInputs,
} from "./pulumi-config.js";

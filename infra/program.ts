import * as pulumi from "@pulumi/pulumi";
import {
  nextDeployedState,
  offClusterSnapshotStore,
  type DeployedState,
  type StackInputs,
} from "./config/index.js";
import { HybridCluster, type NodeSummary } from "./cluster/resources/index.js";
import { KAFKA_UI_USER, Platform } from "./platform/platform.js";
import { SERVICE_NAMES } from "./services/catalog.js";
import { Service } from "./services/components.js";

/** What a stack exports (`pulumi stack output --json`). */
export interface StackOutputs {
  /** Admin kubeconfig of the cluster (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** Public address of the Kubernetes API. */
  readonly serverAddress: pulumi.Output<string>;
  readonly nodes: pulumi.Output<NodeSummary[]>;
  /** The web page, the API, its interactive docs, the Kafka UI, and with monitoring Grafana and Alertmanager. */
  readonly urls: {
    readonly web: string;
    readonly api: string;
    readonly apiDocs: string;
    readonly kafkaUi: string;
    readonly grafana?: string;
    readonly alertmanager?: string;
  };
  /** User of the Kafka UI's basic authentication, which the Alertmanager UI shares. */
  readonly kafkaUiUser: string;
  /** Password of the Kafka UI and the Alertmanager UI (secret). */
  readonly kafkaUiPassword: pulumi.Output<string>;
  /** Grafana's administrator, with monitoring. */
  readonly grafanaAdminUser: string | undefined;
  /** Its password (secret), with monitoring. */
  readonly grafanaAdminPassword: pulumi.Output<string> | undefined;
  /** What this deployment records for the next one to check against (see infra/config/deployed.ts). */
  readonly deployed: DeployedState;
}

export interface Stack {
  readonly outputs: StackOutputs;
  readonly cluster: HybridCluster;
  readonly platform: Platform;
  readonly services: Service[];
}

/** The keys of the store the etcd snapshots upload to (infra/config/archive.ts), from the secret settings. */
function snapshotCredentials({ config, secrets }: StackInputs) {
  const keys = offClusterSnapshotStore(config)?.keys;
  const [id, key] =
    keys === "backup"
      ? [secrets.backupAccessKeyId, secrets.backupSecretAccessKey]
      : keys === "archive"
        ? [secrets.archiveAccessKeyId, secrets.archiveSecretAccessKey]
        : [];
  return id && key ? { snapshotCredentials: { accessKeyId: id, secretAccessKey: key } } : {};
}

/**
 * The Pulumi program: config → cluster → platform → services → outputs. `index.ts`
 * runs it under the engine; the offline plan and the tests under the mocked runtime.
 */
export function defineStack(inputs: StackInputs, options: { readonly now?: Date } = {}): Stack {
  const { stack, config, secrets } = inputs;
  const cluster = new HybridCluster("cluster", {
    stack,
    config,
    sshPrivateKey: inputs.sshPrivateKey,
    ...(inputs.deployed ? { deployed: inputs.deployed } : {}),
    ...snapshotCredentials(inputs),
  });
  const provider = cluster.provider;
  // Workloads need the mesh (Kilo is the CNI) and the node metadata in place.
  const platform = new Platform("platform", { config, secrets, provider }, { dependsOn: [cluster] });
  const services = SERVICE_NAMES.map(
    (name) => new Service(name, { stack, config, secrets, provider }, { dependsOn: platform.ready }),
  );
  return {
    cluster,
    platform,
    services,
    outputs: {
      kubeconfig: cluster.kubeconfig,
      serverAddress: cluster.serverAddress,
      nodes: cluster.summary,
      urls: {
        web: `https://${config.dns.web}`,
        api: `https://${config.dns.api}`,
        apiDocs: `https://${config.dns.api}/docs`,
        kafkaUi: `https://${config.dns.kafkaUi}`,
        ...platform.monitoring?.urls,
      },
      kafkaUiUser: KAFKA_UI_USER,
      kafkaUiPassword: pulumi.secret(platform.kafkaUiPassword),
      grafanaAdminUser: platform.monitoring?.grafanaAdminUser,
      grafanaAdminPassword: platform.monitoring && pulumi.secret(platform.monitoring.grafanaAdminPassword),
      deployed: nextDeployedState(
        config,
        cluster.installVersions,
        inputs.deployed,
        options.now ?? new Date(),
      ),
    },
  };
}

import * as pulumi from "@pulumi/pulumi";
import type { StackInputs } from "./config/index.js";
import { HybridCluster, type NodeSummary } from "./cluster/resources/index.js";

/** What a stack exports (`pulumi stack output --json`). */
export interface StackOutputs {
  /** Admin kubeconfig of the cluster (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** Public address of the Kubernetes API. */
  readonly serverAddress: pulumi.Output<string>;
  readonly nodes: pulumi.Output<NodeSummary[]>;
  readonly urls: { readonly web: string; readonly api: string; readonly kafkaUi: string };
}

/**
 * The Pulumi program: config → cluster → outputs. `index.ts` runs it under the
 * engine; the offline plan and the tests run it under the mocked runtime.
 */
export function defineStack(inputs: StackInputs): { outputs: StackOutputs; cluster: HybridCluster } {
  const { stack, config } = inputs;
  const cluster = new HybridCluster("cluster", { stack, config, sshPrivateKey: inputs.sshPrivateKey });
  return {
    cluster,
    outputs: {
      kubeconfig: cluster.kubeconfig,
      serverAddress: cluster.serverAddress,
      nodes: cluster.summary,
      urls: {
        web: `https://${config.dns.web}`,
        api: `https://${config.dns.api}`,
        kafkaUi: `https://${config.dns.kafkaUi}`,
      },
    },
  };
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { declareObject } from "../cluster/resources/kubernetes-objects.js";
import type { StackConfig, StackInputs } from "../config/index.js";
import { NAMESPACES } from "../platform/render.js";
import type { ServiceName } from "./catalog.js";
import { PROVIDER_KEYS_SECRET, serviceSpecs } from "./specs.js";
import { renderWorkload, type WorkloadSpec } from "./workload.js";

export interface WorkloadArgs {
  readonly spec: WorkloadSpec;
  readonly provider: k8s.Provider;
}

/** The building block: one containerized workload and its Service, Ingress, autoscaler, budget. */
export class Workload extends pulumi.ComponentResource {
  readonly objects: pulumi.CustomResource[];

  constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:services:Workload", name, {}, opts);
    this.objects = renderWorkload(args.spec).map((o) =>
      declareObject(name, o, { parent: this, provider: args.provider }),
    );
    this.registerOutputs({});
  }
}

const TYPE_NAMES: Record<ServiceName, string> = {
  ingestion: "Ingestion",
  processing: "Processing",
  analytics: "Analytics",
  "middle-tier": "MiddleTier",
  frontend: "Frontend",
};

export interface ServiceArgs {
  /** The stack's name (the archive's default key prefix). */
  readonly stack: string;
  readonly config: StackConfig;
  readonly secrets: StackInputs["secrets"];
  readonly provider: k8s.Provider;
}

/**
 * One of the five services: its workloads (from {@link serviceSpecs}), and for
 * ingestion the Secret with the providers' API keys, from Pulumi secret config.
 */
export class Service extends pulumi.ComponentResource {
  readonly workloads: Workload[];

  constructor(service: ServiceName, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`hdp:services:${TYPE_NAMES[service]}`, service, {}, opts);
    const dependsOn: pulumi.Resource[] = [];
    if (service === "ingestion") {
      const keys = Object.entries({
        polygon: args.secrets.polygonApiKey,
        finnhub: args.secrets.finnhubApiKey,
      })
        .filter((entry): entry is [string, pulumi.Output<string>] => entry[1] !== undefined)
        .map(([key, value]) => value.apply((v) => [key, v] as const));
      dependsOn.push(
        new k8s.core.v1.Secret(
          `${service}-provider-keys`,
          {
            metadata: { name: PROVIDER_KEYS_SECRET, namespace: NAMESPACES.apps },
            type: "Opaque",
            stringData: pulumi.secret(pulumi.all(keys).apply((pairs) => Object.fromEntries(pairs))),
          },
          { parent: this, provider: args.provider },
        ),
      );
    }
    this.workloads = serviceSpecs(args.config, args.stack)[service].map(
      (spec) => new Workload(spec.name, { spec, provider: args.provider }, { parent: this, dependsOn }),
    );
    this.registerOutputs({});
  }
}

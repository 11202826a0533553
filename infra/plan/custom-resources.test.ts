// The custom resources the program declares, checked against the real CRDs of the operator versions the
// stack pins: as rendered they pass, and each kind's schema catches a broken field, naming the object
// and the field's path.
import { beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../cluster/kilo-manifests.js";
import { readStackFile } from "../config/index.js";
import { requireCrds } from "../platform/crds/test-support.js";
import { evaluateStack } from "./evaluate.js";
import { BROKEN_FIELDS, type Obj } from "./custom-resource-cases.js";
import { checkSchemas } from "./manifest-rules.js";
import { manifestObjects } from "./write.js";

const crdSet = await requireCrds();
const crds = crdSet?.crds ?? [];

const stacks: Record<string, KubeObject[]> = {};
beforeAll(async () => {
  for (const stack of ["dev", "prod"]) {
    const ev = await evaluateStack(await readStackFile(`Pulumi.${stack}.yaml`));
    stacks[stack] = manifestObjects(ev).map((m) => m.object);
  }
});

function find(stack: string, kind: string, name: string): KubeObject {
  const found = stacks[stack]!.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the ${stack} stack`);
  return found;
}

/** A deep copy of one object with one change. */
function broken(o: KubeObject, change: (copy: Obj) => void): KubeObject {
  const copy = structuredClone(o) as Obj;
  change(copy);
  return copy as KubeObject;
}

/** The operators' CRDs, and those the program declares itself (Kilo's, the system-upgrade-controller's). */
const allCrds = () => [
  ...crds,
  ...Object.values(stacks)
    .flat()
    .filter((o) => o.kind === "CustomResourceDefinition"),
];
const messages = async (list: KubeObject[]) =>
  (await checkSchemas(list, allCrds())).violations.map((v) => `${v.object}: ${v.message}`);

describe.skipIf(!crdSet)("custom resources against the operators' CRDs", () => {
  it.each(["dev", "prod"])("%s: every object matches its schema, none is outside one", async (stack) => {
    const objects = stacks[stack]!;
    const result = await checkSchemas(objects, crds);
    expect(result.violations).toEqual([]);
    expect(result.outside).toEqual([]);
    expect(result.valid).toBe(objects.length);
  });

  it.each(BROKEN_FIELDS)(
    "$stack $kind $name: passes as rendered, and a broken $path is refused",
    async (c) => {
      const object = find(c.stack, c.kind, c.name);
      expect(await messages([object])).toEqual([]);
      expect(await messages([broken(object, c.change)])).toEqual([c.offline]);
    },
  );

  it("covers every custom resource kind the stacks declare", () => {
    const builtIn = /^(v1|[a-z]+\/v\d\w*|[a-z.]+\.k8s\.io\/v\d\w*)$/;
    const kinds = new Set(
      Object.values(stacks)
        .flat()
        .filter((o) => !builtIn.test(o.apiVersion))
        .map((o) => o.kind),
    );
    expect([...kinds].sort()).toEqual(BROKEN_FIELDS.map((c) => c.kind).sort());
  });

  it("refuses a version the CRD does not serve, and a namespace against the CRD's scope", async () => {
    const kafka = find("dev", "Kafka", "kafka");
    expect(await messages([broken(kafka, (o) => (o.apiVersion = "kafka.strimzi.io/v1alpha1"))])).toEqual([
      "Kafka hdp-data/kafka: apiVersion: kafkas.kafka.strimzi.io serves v1beta2, not v1alpha1",
    ]);
    expect(await messages([broken(kafka, (o) => delete o.metadata.namespace)])).toEqual([
      "Kafka kafka: metadata.namespace: required: kafkas.kafka.strimzi.io is namespaced",
    ]);
    const issuer = find("dev", "ClusterIssuer", "letsencrypt-staging");
    expect(await messages([broken(issuer, (o) => (o.metadata.namespace = "hdp-apps"))])).toEqual([
      "ClusterIssuer hdp-apps/letsencrypt-staging: metadata.namespace: must not be set: clusterissuers.cert-manager.io is cluster-scoped",
    ]);
  });

  it("fails an object whose kind no CRD defines: it is outside a schema", async () => {
    const unknown = broken(find("dev", "Middleware", "strip-api"), (o) => (o.kind = "MiddlewareHTTP"));
    const result = await checkSchemas([unknown], crds);
    expect(result.outside).toEqual(["MiddlewareHTTP hdp-apps/strip-api"]);
    expect(result.violations.map((v) => v.message)).toEqual([
      "outside a schema: traefik.io/v1alpha1 MiddlewareHTTP is not a Kubernetes kind, and no known CRD defines it",
    ]);
  });

  it("checks a custom resource against a CRD the program itself declares (Kilo's Peer)", async () => {
    const objects = stacks.dev!;
    const peer: KubeObject = {
      apiVersion: "kilo.squat.ai/v1alpha1",
      kind: "Peer",
      metadata: { name: "laptop" },
      spec: { allowedIPs: ["10.5.0.10/32"], publicKey: "key", persistentKeepalive: 25 },
    };
    const bad = broken(peer, (o) => {
      o.metadata.name = "phone";
      o.spec.persistentKeepalive = "25s";
    });
    const result = await checkSchemas([...objects, peer, bad], []);
    const about = (name: string) => result.violations.filter((v) => v.object === name).map((v) => v.message);
    expect(about("Peer laptop")).toEqual([]);
    expect(about("Peer phone")).toEqual(["spec.persistentKeepalive: must be integer, not string"]);
    expect(result.outside).not.toContain("Peer laptop");
  });
});

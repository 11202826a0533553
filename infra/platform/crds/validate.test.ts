// The offline validator on a small CRD, and the way it names fields; no network. (The operators' real CRDs
// are exercised in infra/plan/custom-resources.test.ts.)
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../cluster/kilo-manifests.js";
import { CustomResourceValidator, fieldPath } from "./validate.js";

const crd: KubeObject = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { kind: "Widget", plural: "widgets" },
    versions: [
      { name: "v1alpha1", served: false, storage: false, schema: { openAPIV3Schema: { type: "object" } } },
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                required: ["size"],
                properties: {
                  size: { "x-kubernetes-int-or-string": true },
                  mode: { type: "string", enum: ["fast", "slow"] },
                  // Go's RE2 inline flag, as in the Prometheus Operator's CRDs.
                  policy: { type: "string", pattern: "^(?i)(abort|warn)?$" },
                  labels: { type: "object", additionalProperties: { type: "string" } },
                  extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                  ports: {
                    type: "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    items: {
                      type: "object",
                      properties: { name: { type: "string" }, port: { type: "integer", minimum: 1 } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const widget = (spec: Record<string, unknown>, apiVersion = "example.com/v1"): KubeObject => ({
  apiVersion,
  kind: "Widget",
  metadata: { name: "w", namespace: "ns" },
  spec,
});

const errorsOf = (o: KubeObject) =>
  new CustomResourceValidator([crd]).check(o)?.errors.map((e) => `${e.path}: ${e.message}`);

describe("CustomResourceValidator", () => {
  it("passes an object that matches, with unknown fields only where the schema keeps them", () => {
    expect(errorsOf(widget({ size: "10Gi", mode: "fast", labels: { a: "b" }, extra: { any: [1] } }))).toEqual(
      [],
    );
    expect(errorsOf(widget({ size: 3 }))).toEqual([]);
  });

  it("reads a pattern with Go's inline case-insensitive flag, which JavaScript has not", () => {
    expect(errorsOf(widget({ size: 1, policy: "Warn" }))).toEqual([]);
    expect(errorsOf(widget({ size: 1, policy: "stop" }))).toEqual([
      'spec.policy: must match pattern "^(?i)(abort|warn)?$"',
    ]);
  });

  it.each([
    ["a missing required field", { mode: "fast" }, "spec.size: required field missing"],
    ["a value outside the enum", { size: 1, mode: "warp" }, "spec.mode: must be one of fast, slow"],
    ["an unknown field", { size: 1, colour: "red" }, "spec.colour: unknown field"],
    ["a wrong type in an int-or-string", { size: true }, "spec.size: must be integer or string, not boolean"],
    ["a wrong map value", { size: 1, labels: { a: 1 } }, "spec.labels.a: must be string, not number"],
    ["a bound", { size: 1, ports: [{ name: "a", port: 0 }] }, "spec.ports[0].port: must be >= 1"],
    [
      "a duplicate key in a map list",
      { size: 1, ports: [{ name: "a" }, { name: "a" }] },
      "spec.ports: items must be unique by name",
    ],
  ])("refuses %s", (_label, spec, expected) => {
    expect(errorsOf(widget(spec))).toEqual([expected]);
  });

  it("refuses a version the CRD does not serve", () => {
    expect(errorsOf(widget({ size: 1 }, "example.com/v1alpha1"))).toEqual([
      "apiVersion: widgets.example.com serves v1, not v1alpha1",
    ]);
  });

  it("knows nothing of a kind outside its CRDs", () => {
    expect(new CustomResourceValidator([crd]).check({ ...widget({}), kind: "Gadget" })).toBeUndefined();
  });

  it("names fields the way the API server does", () => {
    expect(fieldPath("/spec/kafka/listeners/0/type")).toBe("spec.kafka.listeners[0].type");
    expect(fieldPath("/spec/config", "retention.ms")).toBe('spec.config["retention.ms"]');
    expect(fieldPath("/metadata/annotations/a~1b")).toBe('metadata.annotations["a/b"]');
    expect(fieldPath("", "spec")).toBe("spec");
  });
});

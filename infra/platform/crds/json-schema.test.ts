// The structural-schema → JSON Schema converter, case by case; no network.
import { describe, expect, it } from "vitest";
import { LIST_MAP_KEYS, crdVersionToJsonSchema, type JsonSchema } from "./json-schema.js";

/** The converted schema of `spec`, from a root whose only property is `spec`. */
const specOf = (spec: Record<string, unknown>): JsonSchema =>
  (
    crdVersionToJsonSchema({ type: "object", properties: { spec } }).schema.properties as Record<
      string,
      JsonSchema
    >
  ).spec!;

describe("crdVersionToJsonSchema", () => {
  const cases: [string, Record<string, unknown>, JsonSchema][] = [
    [
      "an object with properties refuses unknown fields",
      { type: "object", properties: { a: { type: "string" } } },
      { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
    ],
    [
      "an object without properties has no known fields at all",
      { type: "object" },
      { type: "object", additionalProperties: false },
    ],
    [
      "x-kubernetes-preserve-unknown-fields keeps unknown fields",
      {
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
        properties: { a: { type: "integer" } },
      },
      { type: "object", properties: { a: { type: "integer" } } },
    ],
    [
      "a map keeps its value schema",
      { type: "object", additionalProperties: { type: "string" } },
      { type: "object", additionalProperties: { type: "string" } },
    ],
    [
      "x-kubernetes-int-or-string is an integer or a string",
      { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }], pattern: "^a" },
      { type: ["integer", "string"], pattern: "^a", anyOf: [{ type: "integer" }, { type: "string" }] },
    ],
    [
      "nullable admits null, in the type and the enum",
      { type: "string", nullable: true, enum: ["a", "b"] },
      { type: ["string", "null"], enum: ["a", "b", null] },
    ],
    [
      "an embedded resource carries apiVersion, kind and metadata",
      {
        type: "object",
        "x-kubernetes-embedded-resource": true,
        "x-kubernetes-preserve-unknown-fields": true,
      },
      {
        type: "object",
        properties: {
          apiVersion: { type: "string" },
          kind: { type: "string" },
          metadata: expect.objectContaining({ type: "object" }),
        },
        required: ["apiVersion", "kind"],
      },
    ],
    [
      "string formats the API server checks stay, numeric formats go",
      {
        type: "object",
        properties: { at: { type: "string", format: "date-time" }, n: { type: "integer", format: "int32" } },
      },
      {
        type: "object",
        properties: { at: { type: "string", format: "date-time" }, n: { type: "integer" } },
        additionalProperties: false,
      },
    ],
    [
      "OpenAPI's boolean exclusiveMinimum becomes JSON Schema's bound",
      { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 1 },
      { type: "number", exclusiveMinimum: 0, maximum: 1 },
    ],
    [
      "list types: a set has unique items, a map unique keys",
      {
        type: "object",
        properties: {
          set: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
          map: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            items: { type: "object", properties: { name: { type: "string" } } },
          },
        },
      },
      {
        type: "object",
        properties: {
          set: { type: "array", uniqueItems: true, items: { type: "string" } },
          map: {
            type: "array",
            [LIST_MAP_KEYS]: ["name"],
            items: { type: "object", properties: { name: { type: "string" } }, additionalProperties: false },
          },
        },
        additionalProperties: false,
      },
    ],
    [
      "alternatives only validate values: no unknown-field rule inside oneOf",
      {
        type: "object",
        properties: { a: { type: "string" }, b: { type: "string" } },
        oneOf: [{ properties: { a: {} }, required: ["a"] }, { required: ["b"] }],
      },
      {
        type: "object",
        properties: { a: { type: "string" }, b: { type: "string" } },
        additionalProperties: false,
        oneOf: [{ properties: { a: {} }, required: ["a"] }, { required: ["b"] }],
      },
    ],
    [
      "descriptions, defaults and CEL rules do not validate offline",
      {
        type: "string",
        description: "d",
        default: "x",
        "x-kubernetes-validations": [{ rule: "self != ''" }],
      },
      { type: "string" },
    ],
  ];

  it.each(cases)("%s", (_label, structural, expected) => {
    expect(specOf(structural)).toEqual(expected);
  });

  it("gives the root apiVersion, kind and metadata and refuses unknown top-level fields", () => {
    const { schema } = crdVersionToJsonSchema({ type: "object", properties: { spec: { type: "object" } } });
    expect(Object.keys(schema.properties as object).sort()).toEqual([
      "apiVersion",
      "kind",
      "metadata",
      "spec",
    ]);
    expect(schema.additionalProperties).toBe(false);
  });

  it("counts the CEL rules it cannot evaluate", () => {
    const rule = { "x-kubernetes-validations": [{ rule: "a" }, { rule: "b" }] };
    const { celRules } = crdVersionToJsonSchema({
      type: "object",
      ...rule,
      properties: { spec: { type: "object", ...rule, properties: { x: { type: "string", ...rule } } } },
    });
    expect(celRules).toBe(6);
  });
});

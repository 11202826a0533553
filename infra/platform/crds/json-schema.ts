/**
 * A CRD version's structural `openAPIV3Schema` as a JSON Schema (draft-07, as Ajv runs it), with the API
 * server's reading of it:
 *
 * - an object field not in `properties` is an error (strict field validation and server-side apply reject
 *   unknown fields), except under `x-kubernetes-preserve-unknown-fields` or a map's `additionalProperties`;
 * - `x-kubernetes-int-or-string` is an integer or a string; `nullable` admits null, and null elsewhere is
 *   an error (the API server would drop the field);
 * - `x-kubernetes-embedded-resource` objects and the root carry `apiVersion`, `kind` and `metadata`;
 * - `x-kubernetes-list-type: set` items are unique, `map` items unique by `x-kubernetes-list-map-keys`;
 * - only the formats the API server checks and that matter here are kept (see {@link CHECKED_FORMATS});
 *   numeric formats such as int32 are not checked by it;
 * - CEL rules (`x-kubernetes-validations`) cannot be evaluated offline: they are counted, and left to the
 *   API server. So are descriptions, defaults and printer columns, which do not validate.
 */

export type JsonSchema = { [keyword: string]: unknown };
type Structural = Record<string, unknown>;

/** String formats kept for the validator; the API server checks these (and others no CRD here uses). */
export const CHECKED_FORMATS = [
  "byte",
  "date-time",
  "date",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "uri",
  "uuid",
];

/** The keyword the validator registers for `x-kubernetes-list-type: map`. */
export const LIST_MAP_KEYS = "x-list-map-keys";

/** Keywords copied as they are: OpenAPI v3.0 and JSON Schema agree on them. */
const VALUE_KEYWORDS = [
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "required",
] as const;

export interface Conversion {
  readonly schema: JsonSchema;
  /** CEL rules met on the way, which only the API server evaluates. */
  readonly celRules: number;
}

const OBJECT_META: JsonSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    namespace: { type: "string" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
  },
};

const asSchema = (v: unknown): Structural | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Structural) : undefined;

function convert(s: Structural, inJunctor: boolean, count: { cel: number }): JsonSchema {
  const out: JsonSchema = {};
  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  const nullable = s.nullable === true;
  const types: string[] =
    s["x-kubernetes-int-or-string"] === true
      ? ["integer", "string"]
      : typeof s.type === "string"
        ? [s.type]
        : embedded
          ? ["object"]
          : [];
  if (types.length > 0) {
    const all = nullable ? [...types, "null"] : types;
    out.type = all.length === 1 ? all[0] : all;
  }
  if (Array.isArray(s.enum)) out.enum = nullable && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
  if (typeof s.format === "string" && CHECKED_FORMATS.includes(s.format)) out.format = s.format;
  for (const keyword of VALUE_KEYWORDS) if (s[keyword] !== undefined) out[keyword] = s[keyword];
  // OpenAPI v3.0 makes the bound exclusive with a boolean; JSON Schema moves the bound itself.
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (s[flag] === true && typeof s[bound] === "number") {
      out[flag] = s[bound];
      delete out[bound];
    }
  }
  const items = asSchema(s.items);
  if (items) out.items = convert(items, inJunctor, count);
  const listType = s["x-kubernetes-list-type"];
  if (listType === "set") out.uniqueItems = true;
  if (listType === "map" && Array.isArray(s["x-kubernetes-list-map-keys"])) {
    out[LIST_MAP_KEYS] = s["x-kubernetes-list-map-keys"];
  }

  const properties = asSchema(s.properties);
  if (properties || embedded) {
    out.properties = Object.fromEntries(
      Object.entries(properties ?? {}).map(([k, v]) => [k, convert(asSchema(v) ?? {}, inJunctor, count)]),
    );
  }
  if (embedded) {
    const props = out.properties as Record<string, JsonSchema>;
    props.apiVersion = { type: "string" };
    props.kind = { type: "string" };
    props.metadata = OBJECT_META;
    out.required = [...new Set([...((out.required as string[]) ?? []), "apiVersion", "kind"])];
  }
  const additional = s.additionalProperties;
  if (typeof additional === "boolean") out.additionalProperties = additional;
  else if (asSchema(additional)) out.additionalProperties = convert(asSchema(additional)!, inJunctor, count);
  else if (!preserve && !inJunctor && (types.includes("object") || properties)) {
    // Inside allOf/anyOf/oneOf/not the schema only validates values; the structure is the parent's.
    out.additionalProperties = false;
  }

  for (const junctor of ["allOf", "anyOf", "oneOf"] as const) {
    if (Array.isArray(s[junctor])) {
      out[junctor] = (s[junctor] as unknown[]).map((b) => convert(asSchema(b) ?? {}, true, count));
    }
  }
  const not = asSchema(s.not);
  if (not) out.not = convert(not, true, count);
  if (Array.isArray(s["x-kubernetes-validations"])) count.cel += s["x-kubernetes-validations"].length;
  return out;
}

/** The JSON Schema of a custom resource, from its CRD version's `openAPIV3Schema`. */
export function crdVersionToJsonSchema(openAPIV3Schema: Record<string, unknown>): Conversion {
  const count = { cel: 0 };
  const schema = convert(openAPIV3Schema, false, count);
  // apiVersion, kind and metadata are the API server's, whatever the CRD's schema says of them.
  schema.type = "object";
  schema.properties = {
    ...((schema.properties as Record<string, JsonSchema> | undefined) ?? {}),
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: OBJECT_META,
  };
  if (
    schema.additionalProperties === undefined &&
    openAPIV3Schema["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    schema.additionalProperties = false;
  }
  return { schema, celRules: count.cel };
}

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import formatsModule, { type FormatName } from "ajv-formats";
import type { KubeObject } from "../../cluster/kilo-manifests.js";
import { CHECKED_FORMATS, LIST_MAP_KEYS, crdVersionToJsonSchema } from "./json-schema.js";

// ajv-formats is CommonJS: imported from ESM, its default export is `module.exports`, whose `default` is the plugin.
const addFormats = formatsModule.default;

/** One reason a custom resource does not match its CRD. */
export interface SchemaError {
  /** Field path, e.g. `spec.kafka.listeners[0].type`. */
  readonly path: string;
  readonly message: string;
}

/** The outcome of checking one object against the CRD of its kind. */
export interface CrdCheck {
  /** `metadata.name` of the CRD that defines the object's kind. */
  readonly crd: string;
  readonly errors: readonly SchemaError[];
}

interface CrdVersion {
  name?: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
}
interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { kind?: string };
  versions?: CrdVersion[];
}

/** `/spec/listeners/0/type` → `spec.listeners[0].type`; keys that are not names in brackets. */
export function fieldPath(pointer: string, extra?: string): string {
  const segments = pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) segments.push(extra);
  return segments
    .map((s, i) =>
      /^\d+$/.test(s)
        ? `[${s}]`
        : /^[A-Za-z_$][\w$-]*$/.test(s)
          ? `${i === 0 ? "" : "."}${s}`
          : `[${JSON.stringify(s)}]`,
    )
    .join("");
}

const describe = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Ajv's errors in the API server's terms; errors of alternatives that did not match are folded. */
export function schemaErrors(errors: readonly ErrorObject[]): SchemaError[] {
  const out = new Map<string, SchemaError>();
  for (const e of errors) {
    if (/\/(anyOf|oneOf|not)\//.test(e.schemaPath)) continue;
    const p = e.params as Record<string, unknown>;
    let error: SchemaError;
    switch (e.keyword) {
      case "additionalProperties":
        error = { path: fieldPath(e.instancePath, String(p.additionalProperty)), message: "unknown field" };
        break;
      case "required":
        error = {
          path: fieldPath(e.instancePath, String(p.missingProperty)),
          message: "required field missing",
        };
        break;
      case "enum":
        error = {
          path: fieldPath(e.instancePath),
          message: `must be one of ${(p.allowedValues as unknown[]).map((v) => String(v)).join(", ")}`,
        };
        break;
      case "type":
        error = {
          path: fieldPath(e.instancePath),
          message: `must be ${String(p.type).split(",").join(" or ")}, not ${describe(e.data)}`,
        };
        break;
      default:
        error = { path: fieldPath(e.instancePath), message: e.message ?? e.keyword };
    }
    out.set(`${error.path}\n${error.message}`, error);
  }
  return [...out.values()];
}

/** Whether every item of a list has a distinct tuple of the given keys (`x-kubernetes-list-type: map`). */
function uniqueByKeys(keys: unknown, data: unknown): boolean {
  if (!Array.isArray(keys) || !Array.isArray(data)) return true;
  const seen = new Set<string>();
  for (const item of data) {
    const id = JSON.stringify(keys.map((k) => (item as Record<string, unknown>)?.[String(k)] ?? null));
    if (seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

/**
 * The API server checks `pattern` with Go's RE2, whose inline flags JavaScript lacks (the Prometheus
 * Operator's CRDs use `(?i)`): a pattern with `(?i)` is matched case-insensitively as a whole, a looser check
 * than RE2's where the flag starts inside the pattern, never a stricter one.
 */
export function goPattern(pattern: string, flags: string): RegExp {
  const inline = /\(\?i\)/g;
  if (!inline.test(pattern)) return new RegExp(pattern, flags);
  return new RegExp(pattern.replace(inline, ""), flags.includes("i") ? flags : `${flags}i`);
}
goPattern.code = "goPattern";

function newAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    allowUnionTypes: true,
    code: { regExp: goPattern },
  });
  addFormats(ajv, CHECKED_FORMATS as FormatName[]);
  ajv.addKeyword({
    keyword: LIST_MAP_KEYS,
    type: "array",
    schemaType: "array",
    validate: function check(keys: unknown, data: unknown) {
      const ok = uniqueByKeys(keys, data);
      if (!ok) {
        (check as unknown as { errors: Partial<ErrorObject>[] }).errors = [
          { keyword: LIST_MAP_KEYS, message: `items must be unique by ${(keys as string[]).join(", ")}` },
        ];
      }
      return ok;
    },
  });
  return ajv;
}

let ajv: Ajv | undefined;
/** Compiled schemas by CRD object and version: the fetched CRDs are shared, so each compiles once. */
const compiled = new WeakMap<KubeObject, Map<string, { validate: ValidateFunction; celRules: number }>>();

function compiledSchema(crd: KubeObject, version: CrdVersion) {
  let byVersion = compiled.get(crd);
  if (!byVersion) compiled.set(crd, (byVersion = new Map()));
  let entry = byVersion.get(String(version.name));
  if (!entry) {
    const { schema, celRules } = crdVersionToJsonSchema(version.schema?.openAPIV3Schema ?? {});
    ajv ??= newAjv();
    entry = { validate: ajv.compile(schema), celRules };
    byVersion.set(String(version.name), entry);
  }
  return entry;
}

/**
 * Validates custom resources against a set of CRDs, offline: each object by the CRD of its API group and
 * kind, at its version. CEL rules are left to the API server ({@link celRules} counts those met).
 */
export class CustomResourceValidator {
  private readonly crds = new Map<string, KubeObject>();
  private readonly used = new Set<string>();
  private cel = 0;

  /** Later CRDs of the same group and kind replace earlier ones. */
  constructor(crds: readonly KubeObject[]) {
    for (const crd of crds) {
      const spec = crd.spec as CrdSpec;
      this.crds.set(`${spec.group}/${spec.names?.kind}`, crd);
    }
  }

  /** CEL rules (`x-kubernetes-validations`) in the schemas used so far, which only the API server checks. */
  get celRules(): number {
    return this.cel;
  }

  /** The CRD that defines an object's group and kind, if the set has one. */
  crdOf(o: KubeObject): KubeObject | undefined {
    const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
    return this.crds.get(`${group}/${o.kind}`);
  }

  private validator(crd: KubeObject, version: CrdVersion): ValidateFunction {
    const { validate, celRules } = compiledSchema(crd, version);
    const key = `${crd.metadata.name}/${version.name}`;
    if (!this.used.has(key)) {
      this.used.add(key);
      this.cel += celRules;
    }
    return validate;
  }

  /** The object checked against its CRD; undefined when no CRD in the set defines its kind. */
  check(o: KubeObject): CrdCheck | undefined {
    const crd = this.crdOf(o);
    if (!crd) return undefined;
    const spec = crd.spec as CrdSpec;
    const versionName = o.apiVersion.split("/")[1];
    const served = (spec.versions ?? []).filter((v) => v.served !== false);
    const version = served.find((v) => v.name === versionName);
    if (!version) {
      const message = `${crd.metadata.name} serves ${served.map((v) => v.name).join(", ")}, not ${versionName}`;
      return { crd: crd.metadata.name, errors: [{ path: "apiVersion", message }] };
    }
    const errors: SchemaError[] = [];
    const namespaced = spec.scope !== "Cluster";
    if (namespaced && !o.metadata.namespace) {
      errors.push({ path: "metadata.namespace", message: `required: ${crd.metadata.name} is namespaced` });
    }
    if (!namespaced && o.metadata.namespace) {
      errors.push({
        path: "metadata.namespace",
        message: `must not be set: ${crd.metadata.name} is cluster-scoped`,
      });
    }
    const validate = this.validator(crd, version);
    if (!validate(o)) errors.push(...schemaErrors(validate.errors ?? []));
    return { crd: crd.metadata.name, errors };
  }
}

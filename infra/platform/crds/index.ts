// The operators' CRDs at the versions the stack pins: where they come from, fetching them, and validating
// custom resources against them offline.
export { ensureCrds, crdCacheDir, type CrdOrigin, type CrdSet, type EnsureCrdsOptions } from "./fetch.js";
export { CRD_SOURCES, packageOf, type CrdSource, type Operator } from "./sources.js";
export { CrdFetchError } from "./tools.js";
export { crdVersionToJsonSchema, type Conversion, type JsonSchema } from "./json-schema.js";
export { CustomResourceValidator, type CrdCheck, type SchemaError } from "./validate.js";

import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../cluster/kilo-manifests.js";
import { toolCacheDir } from "../../plan/tool-cache.js";
import { fetchGoModuleFiles } from "./go-module.js";
import { CRD_SOURCES, filesOf, packageOf, type CrdFile, type CrdSource, type Operator } from "./sources.js";
import { generateCrdFiles } from "./strimzi-generator.js";
import { CrdFetchError } from "./tools.js";

/** Where one CRD came from. */
export interface CrdOrigin {
  /** `metadata.name` of the CRD, e.g. `kafkas.kafka.strimzi.io`. */
  readonly name: string;
  readonly kind: string;
  readonly operator: Operator;
  readonly version: string;
  /** e.g. `go module github.com/cloudnative-pg/cloudnative-pg@v1.25.0`. */
  readonly package: string;
  /** The file inside the package (or the generator's output file). */
  readonly file: string;
  /** The cached copy on this machine. */
  readonly cachedFile: string;
}

/** The CRDs of every operator version the stack pins, in the order of {@link CRD_SOURCES}. */
export interface CrdSet {
  readonly crds: readonly KubeObject[];
  /** One per CRD, in the same order. */
  readonly sources: readonly CrdOrigin[];
}

export interface EnsureCrdsOptions {
  /** Receives progress lines of a first fetch. @default console.error */
  readonly log?: (line: string) => void;
  /** @default CRD_SOURCES */
  readonly sources?: readonly CrdSource[];
}

const READY_MARKER = "crds.ok";

/** The cache folder of one source: `<tool cache>/crds/<operator>-<version>`. */
export const crdCacheDir = (source: CrdSource): string =>
  toolCacheDir("crds", `${source.operator}-${source.version}`);

/** Whether a folder holds a complete fetch of exactly this source (its marker is written last). */
async function isReady(dir: string, source: CrdSource): Promise<boolean> {
  try {
    return (await readFile(join(dir, READY_MARKER), "utf8")) === JSON.stringify(source);
  } catch {
    return false;
  }
}

/** Helm directives in a label or annotation (cert-manager's chart templates) cannot go to an API server. */
const untemplated = (map: unknown): Record<string, string> | undefined => {
  if (!map || typeof map !== "object") return undefined;
  const kept = Object.entries(map as Record<string, string>).filter(([k, v]) => !`${k}${v}`.includes("{{"));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
};

/** The one CRD a file defines, checked against the kind the source table names. */
export function parseCrdFile(text: string, file: CrdFile, where: string): KubeObject {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: KubeObject[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) throw new CrdFetchError(`crds: ${where}: ${doc.errors[0]!.message}`);
    const value = doc.toJSON() as KubeObject | null;
    if (value) objects.push(value);
  }
  const crd = objects.length === 1 ? objects[0] : undefined;
  const spec = (crd?.spec ?? {}) as { names?: { kind?: string } };
  if (crd?.apiVersion !== "apiextensions.k8s.io/v1" || crd.kind !== "CustomResourceDefinition") {
    throw new CrdFetchError(`crds: ${where} is not one apiextensions.k8s.io/v1 CustomResourceDefinition`);
  }
  if (spec.names?.kind !== file.kind) {
    throw new CrdFetchError(`crds: ${where} defines ${String(spec.names?.kind)}, not ${file.kind}`);
  }
  const labels = untemplated(crd.metadata.labels);
  const annotations = untemplated(crd.metadata.annotations);
  return {
    ...crd,
    metadata: {
      name: crd.metadata.name,
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
  };
}

const PARSED = "crds.json";

/** Parses the source's fetched files (each checked against the kind the table names). */
async function parseSource(source: CrdSource, dir: string): Promise<KubeObject[]> {
  return Promise.all(
    filesOf(source).map(async (file) => {
      const path = join(dir, basename(file.path));
      return parseCrdFile(await readFile(path, "utf8"), file, path);
    }),
  );
}

/** The cached CRDs of a source (parsed once at fetch time: reading 3 MB of YAML takes seconds). */
async function readSource(source: CrdSource, dir: string): Promise<{ crd: KubeObject; origin: CrdOrigin }[]> {
  const crds = JSON.parse(await readFile(join(dir, PARSED), "utf8")) as KubeObject[];
  return filesOf(source).map((file, i) => ({
    crd: crds[i]!,
    origin: {
      name: crds[i]!.metadata.name,
      kind: file.kind,
      operator: source.operator,
      version: source.version,
      package: packageOf(source),
      file: file.path,
      cachedFile: join(dir, basename(file.path)),
    },
  }));
}

/** Staging folders an interrupted run left behind (over an hour old). */
async function removeStaleStaging(dir: string): Promise<void> {
  const prefix = `${basename(dir)}.tmp-`;
  for (const name of await readdir(dirname(dir))) {
    const path = join(dirname(dir), name);
    if (!name.startsWith(prefix)) continue;
    // Another run may be removing it right now.
    const modified = await stat(path).then(
      (st) => st.mtimeMs,
      () => Date.now(),
    );
    if (Date.now() - modified > 3_600_000) {
      await rm(path, { recursive: true, force: true });
    }
  }
}

/** Fetches a source into its cache folder unless it is there: staged, checked, marked, then renamed. */
async function materialise(source: CrdSource, log: (line: string) => void): Promise<string> {
  const dir = crdCacheDir(source);
  if (await isReady(dir, source)) return dir;
  const started = Date.now();
  await mkdir(dirname(dir), { recursive: true });
  await removeStaleStaging(dir);
  const staging = await mkdtemp(`${dir}.tmp-`);
  try {
    if (source.from === "go-module") await fetchGoModuleFiles(source, staging, log);
    else await generateCrdFiles(source, staging, log);
    await writeFile(join(staging, PARSED), JSON.stringify(await parseSource(source, staging)));
    await writeFile(join(staging, READY_MARKER), JSON.stringify(source));
    // Another run may have finished the same fetch meanwhile: keep its folder.
    if (!(await isReady(dir, source))) {
      await rm(dir, { recursive: true, force: true });
      await rename(staging, dir).catch(async (error: unknown) => {
        if (!(await isReady(dir, source))) throw error;
      });
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `crds: ${source.operator} ${source.version}: ${filesOf(source).length} CRDs cached in ${dir} (${seconds} s)`,
  );
  return dir;
}

async function load(sources: readonly CrdSource[], log: (line: string) => void): Promise<CrdSet> {
  // The Go modules and the Maven resolution run side by side on a first fetch.
  const perSource = await Promise.all(
    sources.map(async (source) => readSource(source, await materialise(source, log))),
  );
  const all = perSource.flat();
  return { crds: all.map((c) => c.crd), sources: all.map((c) => c.origin) };
}

let defaultSet: Promise<CrdSet> | undefined;

/**
 * The CRDs of every operator version the stack pins ({@link CRD_SOURCES}), fetched once into the tool cache
 * (`crds/<operator>-<version>`) with `go` and `mvn` + `java`, later read from there offline. Throws
 * {@link CrdFetchError} when a tool is missing or a download fails.
 */
export function ensureCrds(options: EnsureCrdsOptions = {}): Promise<CrdSet> {
  const log = options.log ?? ((line: string) => console.error(line));
  if (options.sources) return load(options.sources, log);
  defaultSet ??= load(CRD_SOURCES, log).catch((error: unknown) => {
    defaultSet = undefined;
    throw error;
  });
  return defaultSet;
}

import { createHash } from "node:crypto";
import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { LOCK_FILES, parseSha256List, pomProperty, readLockFile, sha256Differences } from "./lock-files.js";
import type { MavenGeneratorSource } from "./sources.js";
import { CrdFetchError, requireTool, runTool } from "./tools.js";

const tail = (text: string, lines = 30) => text.trim().split("\n").slice(-lines).join("\n");

/** `file → sha256` of every jar in a folder. */
async function jarSums(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".jar")).sort()) {
    out.set(
      name,
      createHash("sha256")
        .update(await readFile(join(dir, name)))
        .digest("hex"),
    );
  }
  return out;
}

/** Resolves the generator and the API classes with Maven into `lib` and checks every jar's sha256. */
async function resolveJars(source: MavenGeneratorSource, lib: string, log: (line: string) => void) {
  const mvn = requireTool("mvn", `to resolve ${source.artifacts.join(" and ")}`);
  log(`crds: ${source.operator} ${source.version}: resolving ${source.artifacts.join(", ")} with Maven…`);
  const args = [
    ...["-q", "-B", "-C", "-Dstyle.color=never", "-f", LOCK_FILES.pom],
    ...["dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${lib}`],
  ];
  // The local repository first (no network), then Maven Central.
  let result = await runTool(mvn, ["-o", ...args]);
  if (result.code !== 0) result = await runTool(mvn, args);
  if (result.code !== 0) {
    throw new CrdFetchError(
      `crds: Maven could not resolve ${source.artifacts.join(", ")} (mvn ${args.join(" ")}):\n${tail(result.stdout + result.stderr)}`,
      { retriable: true },
    );
  }
  const actual = await jarSums(lib);
  const problems = sha256Differences(parseSha256List(readLockFile(LOCK_FILES.jarSums)), actual);
  if (problems.length > 0) {
    const list = [...actual].map(([file, sum]) => `${sum}  ${file}`).join("\n");
    throw new CrdFetchError(
      `crds: the jars Maven resolved differ from infra/platform/crds/strimzi-jars.sha256:\n${problems.join("\n")}\n` +
        `If strimzi.version changed on purpose, review and commit this list:\n${list}`,
    );
  }
}

/**
 * Writes the source's CRD files into `dest` by running the operator's CRD generator over its published API
 * classes, with the arguments of the operator's own build.
 */
export async function generateCrdFiles(
  source: MavenGeneratorSource,
  dest: string,
  log: (line: string) => void,
): Promise<void> {
  const pinned = pomProperty(readLockFile(LOCK_FILES.pom), "strimzi.version");
  if (pinned !== source.version) {
    throw new CrdFetchError(
      `crds: infra/platform/crds/pom.xml pins strimzi.version ${pinned ?? "(none)"}, but the stack pins ${source.version} (${source.pinnedBy}): make them equal and update strimzi-jars.sha256`,
    );
  }
  const java = requireTool("java", `to run ${source.mainClass}`);
  const lib = join(dest, "lib");
  await resolveJars(source, lib, log);
  for (const run of source.runs) {
    log(`crds: ${source.operator} ${source.version}: generating ${run.files.map((f) => f.kind).join(", ")}`);
    const outputs = run.files.map((f) => `${f.className}=${join(dest, f.path)}`);
    const result = await runTool(java, ["-cp", join(lib, "*"), source.mainClass, ...run.args, ...outputs]);
    if (result.code !== 0) {
      throw new CrdFetchError(`crds: ${source.mainClass} failed:\n${tail(result.stdout + result.stderr)}`);
    }
  }
  // The jars stay in Maven's local repository; the cache keeps only the CRDs.
  await rm(lib, { recursive: true, force: true });
}

/**
 * The Apache Kafka JVM distribution, resolved once from Maven Central into
 * `.cache/kafka/<version>/lib`; later runs are offline.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../../infra/plan/run-tool.js";

/** Receives one human-readable progress line. */
export type KafkaLog = (line: string) => void;

const here = dirname(fileURLToPath(import.meta.url));
/** The Maven pom that pins the Kafka version. */
export const KAFKA_POM = join(here, "pom.xml");
const REPO_ROOT = resolve(here, "..", "..");
const READY_MARKER = "classpath.ok";

/** The Kafka version pinned by `scripts/kafka/pom.xml` (its `kafka.version` property). */
export const KAFKA_VERSION: string = (() => {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(KAFKA_POM, "utf8"));
  if (!match?.[1]) throw new Error(`kafka: no <kafka.version> property in ${KAFKA_POM}`);
  return match[1].trim();
})();

export const defaultLog: KafkaLog = (line) => console.error(line);

/** Options of {@link ensureKafkaDistribution}. */
export interface KafkaDistributionOptions {
  /** Where the jars go; default `<repo>/.cache/kafka/<version>` (git-ignored). */
  cacheDir?: string;
  log?: KafkaLog;
}

/** A resolved Kafka distribution. */
export interface KafkaDistribution {
  version: string;
  /** The directory holding every runtime jar. */
  libDir: string;
  /** A `java -cp` value (a classpath wildcard over `libDir`). */
  classpath: string;
}

/** True when `cmd` can be started (e.g. `java -version`). */
export function commandExists(cmd: string, args: string[]): boolean {
  const result = spawnSync(cmd, args, { stdio: "ignore" });
  return !result.error;
}

/** Runs a command to completion, collecting its output (the last 20,000 characters). */
export async function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const result = await runTool(cmd, args);
  return { code: result.code, output: `${result.stdout}${result.stderr}`.slice(-20_000) };
}

/**
 * Resolves the Kafka jars with Maven unless they are already cached. Tries `mvn -o` (local repository only)
 * first, then online. Throws if `mvn` is missing or resolution fails.
 */
export async function ensureKafkaDistribution(
  options: KafkaDistributionOptions = {},
): Promise<KafkaDistribution> {
  const log = options.log ?? defaultLog;
  const cacheDir = resolve(options.cacheDir ?? join(REPO_ROOT, ".cache", "kafka", KAFKA_VERSION));
  const libDir = join(cacheDir, "lib");
  const distribution = { version: KAFKA_VERSION, libDir, classpath: join(libDir, "*") };
  if (existsSync(join(cacheDir, READY_MARKER))) return distribution;

  if (!commandExists("mvn", ["-v"])) {
    throw new Error("kafka: Maven (`mvn`) is not on PATH; install it (apt-get install maven) to fetch Kafka");
  }
  log(`kafka: resolving org.apache.kafka:kafka_2.13:${KAFKA_VERSION} with Maven (first run only)…`);
  const started = Date.now();
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, "lib.tmp-"));
  const args = [
    "-q",
    "-B",
    "-Dstyle.color=never",
    "-f",
    KAFKA_POM,
    "dependency:copy-dependencies",
    "-DincludeScope=runtime",
    `-DoutputDirectory=${staging}`,
  ];
  let result = await run("mvn", ["-o", ...args]);
  if (result.code !== 0) result = await run("mvn", args);
  if (result.code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(
      `kafka: Maven could not resolve Kafka ${KAFKA_VERSION} (mvn ${args.join(" ")}):\n${result.output}`,
    );
  }
  if (!(await readdir(staging)).some((name) => name.startsWith("kafka_2.13-"))) {
    throw new Error(`kafka: Maven finished but ${staging} holds no kafka_2.13 jar`);
  }
  // Swap in atomically so a concurrent or interrupted run never sees a half-filled lib dir.
  await rm(libDir, { recursive: true, force: true });
  await rename(staging, libDir);
  await writeFile(join(cacheDir, READY_MARKER), `${KAFKA_VERSION}\n`);
  log(`kafka: distribution cached in ${cacheDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return distribution;
}

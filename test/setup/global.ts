/**
 * Vitest global setup (see vitest.config.ts): starts the shared services the selected test files need, once
 * per run, and provides their addresses to the workers (read them through test/setup/kafka.ts,
 * test/setup/k8s.ts, test/setup/prometheus.ts and test/setup/s3.ts).
 */
import { readFile } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { startKafkaBroker, type KafkaBroker } from "../../scripts/kafka/broker.js";
import { controlPlaneBuilt } from "../../scripts/k8s/binaries.js";
import { startControlPlane, type ControlPlane } from "../../scripts/k8s/control-plane.js";
import { builtPrometheusBinaries, ensurePrometheusBinaries } from "../../scripts/prometheus/binaries.js";
import { builtS3Binaries, ensureS3Binaries } from "../../scripts/s3/binaries.js";
import { startS3Server, type S3Server } from "../../scripts/s3/server.js";
import { credentialsFromKubeconfig } from "./k8s.js";
import "./kafka.js"; // the ProvidedContext augmentation
import "./prometheus.js"; // the ProvidedContext augmentation
import { s3FromEnvironment } from "./s3.js"; // and the ProvidedContext augmentation

/** The helpers the test files selected for this run use, in any project (on any doubt: all of them). */
async function helpersUsed(
  root: TestProject,
): Promise<{ kafka: boolean; k8s: boolean; prometheus: boolean; s3: boolean }> {
  try {
    // The CLI file filters (`vitest run foo`) are not public API; without them every test file is considered.
    const filters = (root.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
    const files = new Set<string>();
    for (const project of [root, ...root.vitest.projects]) {
      for (const file of (await project.globTestFiles(filters)).testFiles) files.add(file);
    }
    const used = { kafka: false, k8s: false, prometheus: false, s3: false };
    for (const file of files) {
      const text = await readFile(file, "utf8");
      used.kafka ||= text.includes("setup/kafka");
      used.k8s ||= text.includes("setup/k8s");
      used.prometheus ||= text.includes("setup/prometheus");
      used.s3 ||= text.includes("setup/s3");
    }
    return used;
  } catch {
    return { kafka: true, k8s: true, prometheus: true, s3: true };
  }
}

/** Where a shared service could not be had: fatal in CI, a notice elsewhere (the suites skip). */
function unavailable(what: string, error: unknown): undefined {
  if (process.env.CI === "true") throw error;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`\n*** Could not start ${what}; its suites will be skipped.\n${message}\n`);
  return undefined;
}

async function setupKafka(project: TestProject, needed: boolean): Promise<KafkaBroker | undefined> {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    project.provide("kafkaBrokers", external);
    return undefined;
  }
  if (process.env.HDP_NO_KAFKA === "1" || !needed) {
    project.provide("kafkaBrokers", undefined);
    return undefined;
  }
  try {
    const broker = await startKafkaBroker({ log: (line) => console.error(line) });
    project.provide("kafkaBrokers", broker.brokers);
    return broker;
  } catch (error) {
    project.provide("kafkaBrokers", undefined);
    return unavailable("a Kafka broker", error);
  }
}

async function setupControlPlane(project: TestProject, needed: boolean): Promise<ControlPlane | undefined> {
  const missing = (why: string) => {
    project.provide("controlPlane", undefined);
    project.provide("controlPlaneMissing", why);
    return undefined;
  };
  const external = process.env.HDP_KUBECONFIG?.trim();
  if (external) {
    project.provide("controlPlane", credentialsFromKubeconfig(external));
    return undefined;
  }
  if (!needed) return missing("no selected test file needs one");
  if (process.env.HDP_NO_K8S === "1") return missing("HDP_NO_K8S=1");
  // Outside CI, a run does not start a 20-minute build by surprise; CI builds when the cache is cold.
  if (process.env.CI !== "true" && !controlPlaneBuilt()) {
    return missing("its binaries are not built: run `npm run k8s:build` once (needs Go; about 15 minutes)");
  }
  try {
    const plane = await startControlPlane({ log: (line) => console.error(line) });
    project.provide("controlPlane", plane.credentials);
    project.provide("controlPlaneMissing", undefined);
    return plane;
  } catch (error) {
    missing(error instanceof Error ? error.message : String(error));
    return unavailable("a Kubernetes control plane", error);
  }
}

/** Provides the Prometheus tools (each suite starts its own servers, with its own rules and targets). */
async function setupPrometheusTools(project: TestProject, needed: boolean): Promise<void> {
  const missing = (why: string) => {
    project.provide("prometheusTools", undefined);
    project.provide("prometheusToolsMissing", why);
  };
  if (!needed) return missing("no selected test file needs them");
  if (process.env.HDP_NO_PROMETHEUS === "1") return missing("HDP_NO_PROMETHEUS=1");
  const built = builtPrometheusBinaries();
  if (built) {
    project.provide("prometheusTools", built);
    project.provide("prometheusToolsMissing", undefined);
    return;
  }
  // As for the control plane: outside CI a run does not start a build by surprise.
  if (process.env.CI !== "true") {
    return missing(
      "they are not built: run `npm run prometheus:build` once (needs Go; about 14 minutes cold on two busy cores)",
    );
  }
  try {
    project.provide("prometheusTools", await ensurePrometheusBinaries((line) => console.error(line)));
    project.provide("prometheusToolsMissing", undefined);
  } catch (error) {
    missing(error instanceof Error ? error.message : String(error));
    unavailable("the Prometheus tools", error);
  }
}

/** Starts the run's S3-compatible server (SeaweedFS), or passes on the one named by `S3_ENDPOINT`. */
async function setupS3(project: TestProject, needed: boolean): Promise<S3Server | undefined> {
  const missing = (why: string) => {
    project.provide("s3Server", undefined);
    project.provide("s3ServerMissing", why);
    return undefined;
  };
  // A wrong S3_* variable stops the run: the person who set it meant to use that server.
  const external = s3FromEnvironment();
  if (external) {
    project.provide("s3Server", external);
    project.provide("s3ServerMissing", undefined);
    return undefined;
  }
  if (!needed) return missing("no selected test file needs one");
  if (process.env.HDP_NO_S3 === "1") return missing("HDP_NO_S3=1");
  // As for the control plane: outside CI a run does not start a build by surprise.
  if (process.env.CI !== "true" && !builtS3Binaries()) {
    return missing(
      "SeaweedFS is not built: run `npm run s3:build` once (needs Go; about 8 minutes cold on two busy cores), " +
        "or set S3_ENDPOINT, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY",
    );
  }
  try {
    const binaries = await ensureS3Binaries((line) => console.error(line));
    const server = await startS3Server({ weed: binaries.weed, log: (line) => console.error(line) });
    const { endpoint, region, accessKeyId, secretAccessKey } = server;
    project.provide("s3Server", { endpoint, region, accessKeyId, secretAccessKey });
    project.provide("s3ServerMissing", undefined);
    return server;
  } catch (error) {
    missing(error instanceof Error ? error.message : String(error));
    return unavailable("an S3-compatible server", error);
  }
}

/** Starts the shared services and returns their teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // This file runs once per project (root, then each `extends: true` project). Only the root starts the
  // services; the projects inherit what the root provides, so they must not provide the keys themselves.
  if (!project.isRootProject()) return async () => undefined;
  const used = await helpersUsed(project);
  const [broker, plane, , s3] = await Promise.all([
    setupKafka(project, used.kafka),
    setupControlPlane(project, used.k8s),
    setupPrometheusTools(project, used.prometheus),
    setupS3(project, used.s3),
  ]);

  // database: set up by test/setup/postgres.ts

  return async () => {
    await Promise.all([broker?.stop(), plane?.stop(), s3?.stop()]);
  };
}

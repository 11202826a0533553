/**
 * Vitest global setup (see vitest.config.ts): starts the shared services the selected test files need, once
 * per run, and provides their addresses to the workers (read them through test/setup/kafka.ts).
 */
import { readFile } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { startKafkaBroker, type KafkaBroker } from "../../scripts/kafka/broker.js";
import "./kafka.js"; // the ProvidedContext augmentation

/** Whether any test file selected for this run, in any project, uses the Kafka helper (on any doubt: yes). */
async function kafkaNeeded(root: TestProject): Promise<boolean> {
  try {
    // The CLI file filters (`vitest run foo`) are not public API; without them every test file is considered.
    const filters = (root.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
    const files = new Set<string>();
    for (const project of [root, ...root.vitest.projects]) {
      for (const file of (await project.globTestFiles(filters)).testFiles) files.add(file);
    }
    for (const file of files) {
      if ((await readFile(file, "utf8")).includes("setup/kafka")) return true;
    }
    return false;
  } catch {
    return true;
  }
}

async function setupKafka(project: TestProject): Promise<KafkaBroker | undefined> {
  // This file runs once per project (root, then each `extends: true` project). Only the root starts the
  // broker; the projects inherit what the root provides, so they must not provide the key themselves.
  if (!project.isRootProject()) return undefined;
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    project.provide("kafkaBrokers", external);
    return undefined;
  }
  if (process.env.HDP_NO_KAFKA === "1" || !(await kafkaNeeded(project))) {
    project.provide("kafkaBrokers", undefined);
    return undefined;
  }
  try {
    const broker = await startKafkaBroker({ log: (line) => console.error(line) });
    project.provide("kafkaBrokers", broker.brokers);
    return broker;
  } catch (error) {
    if (process.env.CI === "true") throw error;
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\n*** Could not start a Kafka broker; Kafka suites will be skipped.\n${message}\n`);
    project.provide("kafkaBrokers", undefined);
    return undefined;
  }
}

/** Starts the shared services and returns their teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const broker = await setupKafka(project);

  // database: set up by test/setup/postgres.ts

  return async () => {
    await broker?.stop();
  };
}

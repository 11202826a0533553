/**
 * Kafka for test suites. The vitest global setup (test/setup/global.ts) starts one real broker per run and
 * provides its address; suites ask for it here:
 *
 *   const brokers = await requireKafka();
 *   describe.skipIf(!brokers)("…", () => { … });
 */
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** `127.0.0.1:PORT` of the broker started by the global setup; undefined when none could be started. */
    kafkaBrokers: string | undefined;
  }
}

/**
 * The broker list for kafkajs: `KAFKA_BROKERS` when set (an external broker), else the one the global setup
 * started, else undefined.
 */
export async function kafkaBrokers(): Promise<string | undefined> {
  const fromEnv = process.env.KAFKA_BROKERS?.trim();
  if (fromEnv) return fromEnv;
  return inject("kafkaBrokers") || undefined;
}

let noticeShown = false;

/**
 * Like {@link kafkaBrokers}, for suites that need Kafka: with no broker available it throws in CI
 * (`CI=true`), and elsewhere prints a notice once and returns undefined so the suite can be skipped.
 */
export async function requireKafka(): Promise<string | undefined> {
  const brokers = await kafkaBrokers();
  if (brokers) return brokers;
  const why =
    "no broker: set KAFKA_BROKERS, or let test/setup/global.ts start one (needs java and mvn; unset HDP_NO_KAFKA)";
  if (process.env.CI === "true") throw new Error(`Kafka broker required in CI: ${why}`);
  if (!noticeShown) {
    noticeShown = true;
    console.error(`\n*** Kafka suites SKIPPED — ${why}\n`);
  }
  return undefined;
}

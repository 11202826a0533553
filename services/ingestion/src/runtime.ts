import type { Writable } from "node:stream";
import {
  ConfigError,
  KafkaBus,
  createLogger,
  type BusProducer,
  type Logger,
  type OutgoingMessage,
  withTopicPrefix,
} from "@hdp/shared";
import { configSecrets, type IngestionConfig } from "./config.js";

/** What a CLI command runs with: a logger, a producer, and how to let go of them. */
export interface Runtime {
  readonly logger: Logger;
  readonly producer: BusProducer;
  close(): Promise<void>;
}

/**
 * A producer that writes each message to `out` as one JSON line
 * (`{"topic":…,"key":…,"value":{…}}`) instead of publishing it: `--dry-run`.
 */
export function createPrintingProducer(out: Writable): BusProducer {
  return {
    async send(topic: string, messages: readonly OutgoingMessage[]) {
      for (const m of messages) {
        out.write(`${JSON.stringify({ topic, key: m.key, value: JSON.parse(m.value) as unknown })}\n`);
      }
    },
    async close() {},
  };
}

/** The service logger: JSON lines on standard error, with every configured API key scrubbed. */
export function createServiceLogger(config: IngestionConfig): Logger {
  return createLogger({ service: "ingestion", level: config.logLevel, secrets: configSecrets(config) });
}

/**
 * Connects the CLI to Kafka (KAFKA_BROKERS), or to standard output for a dry run.
 * Without brokers and without `--dry-run` there is nowhere to publish: ConfigError.
 */
export async function createRuntime(
  config: IngestionConfig,
  options: { readonly dryRun: boolean; readonly out: Writable; readonly topics: readonly string[] },
): Promise<Runtime> {
  const logger = createServiceLogger(config);
  if (options.dryRun) {
    return { logger, producer: createPrintingProducer(options.out), close: async () => {} };
  }
  if (!config.kafka) {
    throw new ConfigError([
      "KAFKA_BROKERS: is required to publish: the standalone CLI sends to Kafka " +
        "(e.g. KAFKA_BROKERS=localhost:9092); pass --dry-run to print the messages instead",
    ]);
  }
  const bus = withTopicPrefix(
    new KafkaBus({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, logger }),
    config.kafka.topicPrefix,
  );
  await bus.ensureTopics(options.topics);
  const producer = await bus.producer();
  return {
    logger,
    producer,
    close: async () => {
      await producer.close();
      await bus.close();
    },
  };
}

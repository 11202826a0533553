import {
  EXIT_CODES,
  KafkaBus,
  configOrExit,
  createLogger,
  exitOnSignals,
  withTopicPrefix,
} from "@hdp/shared";
import { databasePassword, loadProcessingConfig } from "./config.js";
import { startProcessingService } from "./service.js";

// Entry point of the processing process: configuration, then the service, then signals.
const config = configOrExit("processing", loadProcessingConfig);
const logger = createLogger({
  service: "processing",
  level: config.LOG_LEVEL,
  secrets: [databasePassword(config.DATABASE_URL)],
});
const bus = withTopicPrefix(
  new KafkaBus({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    logger,
  }),
  config.KAFKA_TOPIC_PREFIX,
);
const service = await startProcessingService({
  databaseUrl: config.DATABASE_URL,
  bus,
  logger,
  groupId: config.KAFKA_GROUP_ID,
  analyticsUrl: config.ANALYTICS_URL,
  analyticsTimeoutMs: config.ANALYTICS_TIMEOUT_MS,
  analyticsBatchSize: config.ANALYTICS_BATCH_SIZE,
  poolSize: config.DB_POOL_SIZE,
  migrateOnStart: config.MIGRATE_ON_START,
  health: { host: config.HOST, port: config.PORT },
});

exitOnSignals({ logger, stop: () => service.stop() });
service.done.catch((error: unknown) => {
  logger.fatal({ err: error }, "processing: consumer crashed");
  process.exit(EXIT_CODES.failure);
});

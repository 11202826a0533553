import { ConfigError, createLogger } from "@hdp/shared";
import { buildApp } from "./app.js";
import { loadConfig, type AnalyticsConfig } from "./config.js";
import { createSentimentModel } from "./model/create-model.js";

// Starts the analytics service: config, logger, model, app; then listens and loads the model.
// Listening first lets the liveness probe pass while a slow model loads; /readyz says when it can score.

function configOrExit(): AnalyticsConfig {
  try {
    return loadConfig();
  } catch (error) {
    // No logger yet (its level is configuration): say what is wrong, without a stack trace.
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const config = configOrExit();
const logger = createLogger({ service: "analytics", level: config.logLevel });
const model = createSentimentModel(config.sentimentModel);
const app = buildApp({ config, logger, model });

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  logger.info({ signal }, "shutting down");
  await app.close();
  logger.info("stopped");
  process.exit(0);
}

process.once("SIGTERM", (signal) => void shutdown(signal));
process.once("SIGINT", (signal) => void shutdown(signal));

try {
  const url = await app.listen({ port: config.port, host: config.host });
  logger.info({ url, model: model.name }, `analytics listening on ${url}`);
  await model.load();
  logger.info({ model: model.name }, "sentiment model ready");
} catch (error) {
  logger.fatal({ err: error }, "analytics failed to start");
  await app.close();
  process.exit(1);
}

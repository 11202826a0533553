import { EXIT_CODES, configOrExit, createLogger, exitOnSignals } from "@hdp/shared";
import { buildApp } from "./app.js";
import { loadConfig } from "./config.js";
import { createSentimentModel } from "./model/create-model.js";

// Starts the analytics service: config, logger, model, app; then listens and loads the model.
// Listening first lets the liveness probe pass while a slow model loads; /readyz says when it can score.

const config = configOrExit("analytics", loadConfig);
const logger = createLogger({ service: "analytics", level: config.logLevel });
const model = createSentimentModel(config.sentimentModel);
const app = buildApp({ config, logger, model });

exitOnSignals({ logger, stop: () => app.close() });

try {
  const url = await app.listen({ port: config.port, host: config.host });
  logger.info({ url, model: model.name }, `analytics listening on ${url}`);
  await model.load();
  logger.info({ model: model.name }, "sentiment model ready");
} catch (error) {
  logger.fatal({ err: error }, "analytics failed to start");
  await app.close();
  process.exit(EXIT_CODES.failure);
}

import { EXIT_CODES, configOrExit, createLogger, createPool, exitOnSignals } from "@hdp/shared";
import { loadConfig } from "./config.js";
import { startMiddleTier } from "./service.js";

// Starts the middle-tier: config, logger, pool; then the API and, with METRICS_PORT, its metrics
// listener. SIGTERM/SIGINT close them (in-flight requests finish) and then the pool.

const config = configOrExit("middle-tier", loadConfig);
const logger = createLogger({ service: "middle-tier", level: config.logLevel });
const pool = createPool(config.databaseUrl, { max: config.dbPoolSize, applicationName: "middle-tier" });
pool.on("error", (error) => logger.warn({ err: error }, "database connection failed"));

try {
  const service = await startMiddleTier({ config, logger, pool });
  exitOnSignals({
    logger,
    stop: async () => {
      await service.close();
      await pool.end();
    },
  });
  logger.info(
    { url: service.url, metricsUrl: service.metricsUrl },
    `middle-tier listening on ${service.url}`,
  );
} catch (error) {
  logger.fatal({ err: error }, "middle-tier failed to start");
  await pool.end();
  process.exit(EXIT_CODES.failure);
}

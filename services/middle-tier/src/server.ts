import { EXIT_CODES, configOrExit, createLogger, createPool, exitOnSignals } from "@hdp/shared";
import { buildApp } from "./app.js";
import { loadConfig } from "./config.js";

// Starts the middle-tier: config, logger, pool, app; then listens. SIGTERM/SIGINT close the
// app (in-flight requests finish) and then the pool.

const config = configOrExit("middle-tier", loadConfig);
const logger = createLogger({ service: "middle-tier", level: config.logLevel });
const pool = createPool(config.databaseUrl, { max: config.dbPoolSize, applicationName: "middle-tier" });
pool.on("error", (error) => logger.warn({ err: error }, "idle database connection failed"));
const app = buildApp({ config, logger, pool });

const close = async () => {
  await app.close();
  await pool.end();
};
exitOnSignals({ logger, stop: close });

try {
  const url = await app.listen({ port: config.port, host: config.host });
  logger.info({ url }, `middle-tier listening on ${url}`);
} catch (error) {
  logger.fatal({ err: error }, "middle-tier failed to start");
  await close();
  process.exit(EXIT_CODES.failure);
}

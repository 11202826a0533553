import { ConfigError, createLogger, createPool } from "@hdp/shared";
import { buildApp } from "./app.js";
import { loadConfig, type MiddleTierConfig } from "./config.js";

// Starts the middle-tier: config, logger, pool, app; then listens. SIGTERM/SIGINT close the
// app (in-flight requests finish) and then the pool.

function configOrExit(): MiddleTierConfig {
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
const logger = createLogger({ service: "middle-tier", level: config.logLevel });
const pool = createPool(config.databaseUrl, { max: config.dbPoolSize, applicationName: "middle-tier" });
pool.on("error", (error) => logger.warn({ err: error }, "idle database connection failed"));
const app = buildApp({ config, logger, pool });

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  logger.info({ signal }, "shutting down");
  await app.close();
  await pool.end();
  logger.info("stopped");
  process.exit(0);
}

process.once("SIGTERM", (signal) => void shutdown(signal));
process.once("SIGINT", (signal) => void shutdown(signal));

try {
  const url = await app.listen({ port: config.port, host: config.host });
  logger.info({ url }, `middle-tier listening on ${url}`);
} catch (error) {
  logger.fatal({ err: error }, "middle-tier failed to start");
  await app.close();
  await pool.end();
  process.exit(1);
}

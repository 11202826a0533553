import { PortInUseError, startMetricsServer, type MetricsServer } from "@hdp/shared";
import { buildAppParts, type AppOptions, type MiddleTierApp } from "./app.js";
import type { MiddleTierConfig } from "./config.js";

export interface StartOptions extends Omit<AppOptions, "metricsRoute"> {
  readonly config: Pick<MiddleTierConfig, "corsOrigins" | "host" | "port" | "metrics">;
}

/** The middle-tier, listening. */
export interface MiddleTierService {
  /** The API's base URL, with the port it got (useful with port 0). */
  readonly url: string;
  /** The metrics listener's base URL; undefined when the API serves `/metrics`. */
  readonly metricsUrl: string | undefined;
  /**
   * Closes the listeners: in-flight requests finish, idle keep-alive connections (a
   * scraper's) are dropped. The pool is the caller's to end afterwards.
   */
  close(): Promise<void>;
}

/**
 * Builds the API and listens on HOST:PORT. With METRICS_PORT, `/metrics` is served only by
 * a listener of its own on METRICS_HOST:METRICS_PORT (started first, so that a taken port
 * leaves nothing answering) and the API answers 404 there; without it, by the API. Rejects
 * with {@link PortInUseError} naming the variable when a port is taken, having closed what
 * it started.
 */
export async function startMiddleTier(options: StartOptions): Promise<MiddleTierService> {
  const { config } = options;
  const { app, registry } = buildAppParts({ ...options, metricsRoute: config.metrics === undefined });
  let metrics: MetricsServer | undefined;
  const close = async () => {
    await metrics?.close();
    await app.close();
  };
  try {
    if (config.metrics) {
      metrics = await startMetricsServer({ ...config.metrics, registry, variable: "METRICS_PORT" });
    }
    const url = await listen(app, config);
    return { url, metricsUrl: metrics?.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function listen(
  app: MiddleTierApp,
  { host, port }: { readonly host: string; readonly port: number },
): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new PortInUseError(host, port, { cause: error, variable: "PORT" });
  }
}

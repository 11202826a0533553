import Fastify, { LogController, type FastifyInstance, type RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { registerMetricsRoute, type Logger } from "@hdp/shared";

/** The app of the metrics listener. */
export type MetricsApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;

/**
 * An app (not listening) that serves only `GET /metrics` of `registry`, for a port of its
 * own. Its scrapes are not counted in the request metrics (it has no such hook) nor
 * logged: Prometheus scrapes every 30 s.
 */
export function buildMetricsApp(registry: Registry, logger: Logger): MetricsApp {
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  registerMetricsRoute(app, registry);
  return app;
}

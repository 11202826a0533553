import Fastify, { type FastifyInstance, type RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "@fastify/cors";
import compress from "@fastify/compress";
import { validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { Counter, Histogram, type Registry } from "prom-client";
import {
  answerMethodNotAllowed,
  createResponseSerializerCompiler,
  registerHttpMetrics,
  registerMetricsRoute,
  type Logger,
  type Pool,
  type ResponseSerializerOptions,
} from "@hdp/shared";
import type { MiddleTierConfig } from "./config.js";
import { formatValidationErrors, handleError } from "./errors.js";
import { registerCompatRoutes } from "./compat/routes.js";
import { registerDocs } from "./routes/docs.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerTickersRoute } from "./routes/tickers.js";
import { registerCandlesRoute } from "./routes/candles.js";
import { registerDaysRoute } from "./routes/days.js";
import { registerNewsRoute } from "./routes/news.js";
import { registerSensorRoutes } from "./routes/sensors.js";
import { registerStreamRoute } from "./routes/stream.js";
import { registerStatusRoute } from "./routes/status.js";
import { StreamHub } from "./stream/hub.js";
import { createMiddleTierMetrics, type MiddleTierMetrics } from "./metrics/metrics.js";
import { StatusReader } from "./status/status-reader.js";
import { metricsRouteSchema } from "./routes/metrics.js";

/** The middle-tier Fastify instance, with zod schemas driving validation, types and OpenAPI. */
export type MiddleTierApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger,
  ZodTypeProvider
>;

/** What every route needs: the database, the clock and the metrics. */
export interface RouteContext {
  readonly pool: Pool;
  /** The current instant; tests pin it. */
  readonly now: () => Date;
  readonly metrics: MiddleTierMetrics;
  /** The status snapshot behind `/v1/status` and the freshness gauges. */
  readonly status: StatusReader;
  /** Check answers sent as ready-made JSON text against their schema too (tests). */
  readonly checkResponses?: boolean;
}

/** What the app is built from; the caller owns the pool (and ends it after closing the app). */
export interface AppOptions extends ResponseSerializerOptions {
  readonly config: Pick<MiddleTierConfig, "corsOrigins">;
  readonly logger: Logger;
  readonly pool: Pool;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** How often `/v1/stream` polls the database per followed ticker. @default 1000 */
  readonly streamPollMs?: number;
  /** How long a read of the status (`/v1/status`, the freshness gauges) is reused. @default 5000 */
  readonly statusCacheMs?: number;
  /**
   * Serve `/metrics` on the API. False when a listener of its own serves the registry
   * (`startMiddleTier` with METRICS_PORT): the API's port, which the ingress routes to, then
   * answers 404 there. @default true
   */
  readonly metricsRoute?: boolean;
}

/** The API (not listening) and the registry of its metrics, for a listener of its own to serve. */
export interface MiddleTierParts {
  readonly app: MiddleTierApp;
  readonly registry: Registry;
}

/**
 * Builds the middle-tier HTTP API (not listening): the `/v1` routes, the
 * compatibility routes of the original API, health, metrics, OpenAPI and docs.
 */
export function buildApp(options: AppOptions): MiddleTierApp {
  return buildAppParts(options).app;
}

/** {@link buildApp}, and the registry of its metrics: for a listener of its own when `metricsRoute` is false. */
export function buildAppParts({
  config,
  logger,
  pool,
  now,
  streamPollMs,
  statusCacheMs,
  checkResponses,
  metricsRoute = true,
}: AppOptions): MiddleTierParts {
  const app = Fastify({
    loggerInstance: logger,
    schemaErrorFormatter: formatValidationErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createResponseSerializerCompiler({ checkResponses }));
  app.setErrorHandler(handleError);
  // First, so that it sees every route as it is added.
  answerMethodNotAllowed(app);

  // No configured origin means no cross-origin access at all, not "any origin".
  void app.register(cors, { origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false });
  void app.register(compress, { global: true });
  registerDocs(app);

  const clock = now ?? (() => new Date());
  const status = new StatusReader({ pool, now: clock, maxAgeMs: statusCacheMs });
  const metrics = createMiddleTierMetrics({ status, now: clock, logger });
  const context: RouteContext = { pool, now: clock, metrics, status, checkResponses };
  // On the root, so that answers of the root's 404 handler are counted too (as `unmatched`); the
  // route itself goes with the others, so that the document lists it.
  registerHttpMetrics(app, { registry: metrics.registry, prometheus: { Counter, Histogram }, route: false });
  // Routes go in a plugin registered after the ones above, so that the docs and
  // compression hooks are in place when each route is added.
  void app.register(async (scope: MiddleTierApp) => {
    registerHealthRoutes(scope, pool);
    if (metricsRoute) registerMetricsRoute(scope, metrics.registry, metricsRouteSchema);
    registerTickersRoute(scope, context);
    registerCandlesRoute(scope, context);
    registerDaysRoute(scope, context);
    registerNewsRoute(scope, context);
    registerSensorRoutes(scope, context);
    registerStatusRoute(scope, context);
    registerCompatRoutes(scope, context);
    registerStreamRoute(scope, context, new StreamHub({ pool, logger, pollMs: streamPollMs ?? 1000 }));
  });
  return { app, registry: metrics.registry };
}

import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifySchema,
  FastifyTypeProvider,
  RawServerDefault,
} from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
// Types only: each HTTP service brings its own prom-client (see `PrometheusClasses`), so
// that the shared library, which every service and the CLI load, does not need it.
import type { Counter, Histogram, Registry } from "prom-client";

/** Labels of the HTTP request metrics. */
export type HttpMetricLabel = "method" | "route" | "status_code";

/** The request metrics every HTTP service reports. */
export interface HttpMetrics {
  /** `http_requests_total` */
  readonly requests: Counter<HttpMetricLabel>;
  /** `http_request_duration_seconds` */
  readonly duration: Histogram<HttpMetricLabel>;
}

/** prom-client's metric classes, from the service's own dependency. */
export interface PrometheusClasses {
  readonly Counter: typeof Counter;
  readonly Histogram: typeof Histogram;
}

export interface HttpMetricsOptions {
  /** The app's registry: served at `/metrics` (see `route`), and the request metrics are added to it. */
  readonly registry: Registry;
  readonly prometheus: PrometheusClasses;
  /**
   * Serve `registry` at `GET /metrics` of this app. False when a listener of its own serves it
   * ({@link registerMetricsRoute}), so that the app's port does not expose it. @default true
   */
  readonly route?: boolean;
}

/**
 * Counts every answered request of `app`'s routes (by method, route pattern and
 * status; unmatched paths share one `route` label so that scanners cannot blow up
 * the series count) and, unless `route` is false, serves `registry` at `GET /metrics`
 * ({@link registerMetricsRoute}).
 */
export function registerHttpMetrics<
  Logger extends FastifyBaseLogger,
  TypeProvider extends FastifyTypeProvider,
>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, TypeProvider>,
  { registry, prometheus, route = true }: HttpMetricsOptions,
): HttpMetrics {
  const metrics: HttpMetrics = {
    requests: new prometheus.Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by method, route and status code.",
      labelNames: ["method", "route", "status_code"],
      registers: [registry],
    }),
    duration: new prometheus.Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer HTTP requests, by method, route and status code.",
      labelNames: ["method", "route", "status_code"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };

  app.addHook("onResponse", async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? "unmatched",
      status_code: String(reply.statusCode),
    };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, reply.elapsedTime / 1000);
  });

  if (route) registerMetricsRoute(app, registry);
  return metrics;
}

/**
 * Serves `registry` at `GET /metrics` of `app` in Prometheus text format, hidden from the
 * OpenAPI document unless `schema` (in the app's own schema language) describes it: on the app
 * that counts its requests, or on a listener of its own.
 */
export function registerMetricsRoute<
  Logger extends FastifyBaseLogger,
  TypeProvider extends FastifyTypeProvider,
>(
  app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, TypeProvider>,
  registry: Registry,
  schema: FastifySchema = { hide: true },
): void {
  app.get("/metrics", { schema }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

import type { MiddleTierApp } from "../app.js";
import type { AppMetrics } from "../metrics.js";

/** `GET /metrics`: the app's registry in Prometheus text format, and request counting for every route. */
export function registerMetricsRoute(app: MiddleTierApp, metrics: AppMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    // Unmatched paths share one label so that scanners cannot blow up the series count.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? "unmatched",
      status_code: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

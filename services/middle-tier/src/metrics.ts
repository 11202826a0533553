import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The service's Prometheus metrics, in a registry of their own (one per app). */
export interface AppMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<"method" | "route" | "status_code">;
  readonly httpRequestDuration: Histogram<"method" | "route" | "status_code">;
}

/** Creates the metrics of one app, with the process's default metrics. */
export function createMetrics(): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by method, route and status code.",
      labelNames: ["method", "route", "status_code"],
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer HTTP requests, by method, route and status code.",
      labelNames: ["method", "route", "status_code"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}

import { z } from "zod";

/**
 * How the OpenAPI document lists `GET /metrics` (served by `registerMetricsRoute` of @hdp/shared):
 * Prometheus text format, the metrics of the README's Metrics section.
 */
export const metricsRouteSchema = {
  summary: "Prometheus metrics of the API (text format 0.0.4)",
  tags: ["platform"],
  response: {
    200: {
      description: "The API's metrics and the process metrics, in Prometheus text format",
      content: { "text/plain": { schema: z.string() } },
    },
  },
};

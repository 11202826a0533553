// API: the middle-tier's latency by route, error rate, live-stream clients and cache hits, with Traefik's
// view of the same requests at the edge.
import { COMPONENTS, NAMESPACES } from "../../render.js";
import { buildDashboard, query, stat, timeseries, trafficLight } from "./panels.js";

const rate = (expr: string) => `rate(${expr}[$__rate_interval])`;
/** The middle-tier's series: the analytics service exports the same HTTP metrics, under its own job. */
const api = `job="${COMPONENTS.middleTier}"`;

export const apiDashboard = () =>
  buildDashboard({
    uid: "hdp-api",
    title: "API",
    description: "The middle-tier: requests by route, errors, live-stream clients and caches.",
    rows: [
      {
        title: "Now",
        panels: [
          stat("Requests per second", query(`sum(${rate(`http_requests_total{${api}}`)})`), {
            unit: "reqps",
          }),
          stat(
            "Server errors",
            query(
              `sum(${rate(`http_requests_total{${api}, status_code=~"5.."}`)}) / sum(${rate(`http_requests_total{${api}}`)})`,
            ),
            {
              unit: "percentunit",
              thresholds: trafficLight(0.01, 0.05),
              description: "Share of 5xx answers.",
            },
          ),
          stat("Live-stream clients", query("sum(api_stream_clients)")),
          stat(
            "Replicas available",
            query(
              `sum(kube_deployment_status_replicas_available{namespace="${NAMESPACES.apps}", deployment="${COMPONENTS.middleTier}"})`,
            ),
          ),
        ],
      },
      {
        title: "Routes",
        panels: [
          timeseries(
            "Latency p95, by route",
            [
              query(
                `histogram_quantile(0.95, sum by (le, route) (${rate(`http_request_duration_seconds_bucket{${api}}`)}))`,
                "{{route}}",
              ),
            ],
            { unit: "s" },
          ),
          timeseries(
            "Latency p50, by route",
            [
              query(
                `histogram_quantile(0.5, sum by (le, route) (${rate(`http_request_duration_seconds_bucket{${api}}`)}))`,
                "{{route}}",
              ),
            ],
            { unit: "s" },
          ),
          timeseries(
            "Requests, by route",
            [query(`sum by (route) (${rate(`http_requests_total{${api}}`)})`, "{{route}}")],
            { unit: "reqps" },
          ),
          timeseries(
            "Answers, by status",
            [query(`sum by (status_code) (${rate(`http_requests_total{${api}}`)})`, "{{status_code}}")],
            { unit: "reqps" },
          ),
        ],
      },
      {
        title: "Stream, caches, data",
        panels: [
          timeseries("Live-stream clients", [query("sum(api_stream_clients)", "clients")], { span: 8 }),
          timeseries(
            "Cache hit ratio, by cache",
            [
              query(
                `sum by (cache) (${rate('api_cache_requests_total{result="hit"}')}) / sum by (cache) (${rate("api_cache_requests_total")})`,
                "{{cache}}",
              ),
            ],
            { unit: "percentunit", min: 0, max: 1, span: 8 },
          ),
          timeseries(
            "Dead letters in the last hour, by topic",
            [query("max by (topic) (api_dead_letters_last_hour)", "{{topic}}")],
            { span: 8 },
          ),
        ],
      },
      {
        title: "Edge (Traefik)",
        panels: [
          timeseries(
            "Requests at the edge, by entry point and code",
            [
              query(
                `sum by (entrypoint, code) (${rate("traefik_entrypoint_requests_total")})`,
                "{{entrypoint}} {{code}}",
              ),
            ],
            { unit: "reqps" },
          ),
          timeseries(
            "Edge latency p95, by entry point",
            [
              query(
                `histogram_quantile(0.95, sum by (le, entrypoint) (${rate("traefik_entrypoint_request_duration_seconds_bucket")}))`,
                "{{entrypoint}}",
              ),
            ],
            { unit: "s" },
          ),
        ],
      },
    ],
  });

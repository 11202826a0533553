// Pipeline overview: is data flowing, and if not, where it stops — freshness, what is stored per source,
// dead letters, consumer lag, analytics, and whether the exchange is in session at all.
import { EXCHANGE_MIC } from "../../../../services/shared/src/calendar/session-state.js";
import { buildDashboard, labelVariable, query, stat, timeseries, trafficLight } from "./panels.js";

const rate = (expr: string) => `rate(${expr}[$__rate_interval])`;
const session = `exchange="${EXCHANGE_MIC}"`;
const quantiles = (bucket: string, by: string, legend: string) => [
  query(`histogram_quantile(0.5, sum by (le${by ? `, ${by}` : ""}) (${rate(bucket)}))`, `p50 ${legend}`),
  query(`histogram_quantile(0.95, sum by (le${by ? `, ${by}` : ""}) (${rate(bucket)}))`, `p95 ${legend}`),
];

export const pipelineDashboard = () =>
  buildDashboard({
    uid: "hdp-pipeline",
    title: "Pipeline overview",
    description: "Freshness and flow of bars, articles and readings from ingestion to the API.",
    variables: [labelVariable("ticker", "ticker", "api_last_bar_age_seconds", "Ticker")],
    rows: [
      {
        title: "Freshness",
        panels: [
          stat("Market session", query(`max(market_session_open{${session}})`), {
            description: "Whether NYSE is in its regular session now (holidays and half days included).",
            mappings: { "0": "Closed", "1": "Open" },
          }),
          stat("Newest bar", query("min(api_last_bar_age_seconds)"), {
            description: "Seconds since the end of the newest stored bar of any ticker.",
            unit: "s",
            thresholds: trafficLight(120, 300),
          }),
          stat("Newest scored article", query("max(api_last_article_age_seconds)"), { unit: "s" }),
          stat("Dead letters, last hour", query("sum(api_dead_letters_last_hour)"), {
            thresholds: trafficLight(1, 10),
          }),
          timeseries(
            "Age of the newest bar, by ticker",
            [query('max by (ticker) (api_last_bar_age_seconds{ticker=~"$ticker"})', "{{ticker}}")],
            { unit: "s", thresholds: trafficLight(120, 300) },
          ),
          timeseries(
            "Bar freshness: bar end to stored",
            quantiles("processing_bar_freshness_seconds_bucket", "source", "{{source}}"),
            { unit: "s", description: "From the end of a bar's minute to its commit in PostgreSQL." },
          ),
        ],
      },
      {
        title: "Stored",
        panels: [
          timeseries(
            "Bars stored per minute, by source",
            [query(`sum by (source) (${rate("processing_bars_stored_total")}) * 60`, "{{source}}")],
            { span: 8 },
          ),
          timeseries(
            "Articles stored per minute, by source",
            [query(`sum by (source) (${rate("processing_articles_stored_total")}) * 60`, "{{source}}")],
            { span: 8 },
          ),
          timeseries(
            "Sensor readings stored per minute",
            [query(`sum(${rate("processing_readings_stored_total")}) * 60`, "readings")],
            { span: 8 },
          ),
          timeseries(
            "Messages consumed, by topic and outcome",
            [
              query(
                `sum by (topic, outcome) (${rate("processing_messages_total")})`,
                "{{topic}} {{outcome}}",
              ),
            ],
            { unit: "reqps", span: 24 },
          ),
        ],
      },
      {
        title: "Dead letters and lag",
        panels: [
          timeseries(
            "Dead letters, by topic and reason",
            [
              query(
                "sum by (topic, reason) (increase(processing_dead_letters_total[$__rate_interval]))",
                "{{topic}} {{reason}}",
              ),
            ],
            { span: 8 },
          ),
          timeseries(
            "Consumer lag as processing sees it",
            [query("sum by (topic) (processing_consumer_lag)", "{{topic}}")],
            { span: 8, description: "Messages behind each partition's high watermark, summed per topic." },
          ),
          timeseries(
            "Consumer lag as the brokers see it",
            [
              query(
                "max by (consumergroup, topic) (kafka_consumergroup_lag_sum)",
                "{{consumergroup}} {{topic}}",
              ),
            ],
            { span: 8 },
          ),
          timeseries(
            "Retries, by operation",
            [query(`sum by (operation) (${rate("processing_retries_total")})`, "{{operation}}")],
            { unit: "reqps", span: 24 },
          ),
        ],
      },
      {
        title: "Analytics",
        panels: [
          timeseries(
            "Scoring request latency (processing → analytics)",
            quantiles("processing_analytics_request_duration_seconds_bucket", "outcome", "{{outcome}}"),
            { unit: "s", span: 8 },
          ),
          timeseries(
            "Scoring failures, by reason",
            [query(`sum by (reason) (${rate("processing_analytics_failures_total")})`, "{{reason}}")],
            { unit: "reqps", span: 8 },
          ),
          timeseries(
            "Model time per batch",
            quantiles("sentiment_scoring_duration_seconds_bucket", "model", "{{model}}"),
            { unit: "s", span: 8 },
          ),
          stat("Model ready", query("min(sentiment_model_ready)"), {
            mappings: { "0": "Not ready", "1": "Ready" },
          }),
          timeseries(
            "Articles scored, by label",
            [query(`sum by (label) (${rate("sentiment_labels_total")}) * 60`, "{{label}}")],
            { span: 18, description: "Per minute." },
          ),
        ],
      },
    ],
  });

import { describe, expect, it } from "vitest";
import { ConfigError } from "@hdp/shared";
import { configSecrets, loadIngestionConfig } from "./config.js";

function problems(env: Record<string, string>): string {
  try {
    loadIngestionConfig({}, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join("\n");
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadIngestionConfig", () => {
  it("runs on defaults: replay, the five tickers, no Kafka", () => {
    const config = loadIngestionConfig({}, {});
    expect(config.source).toBe("replay");
    expect(config.tickers).toEqual(["AAL", "AAPL", "AMD", "MSFT", "TSLA"]);
    expect(config.kafka).toBeUndefined();
    expect(config.polygon.callsPerMinute).toBe(5);
    expect(config.finnhub.plan).toBe("free");
    expect(config.sensor.thermalPath).toBe("/sys/class/thermal/thermal_zone0/temp");
    expect(config.sensor.device).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    expect(config.sensor.metrics).toEqual({ host: "127.0.0.1", port: 9102 });
  });

  it("reads where the sensor agent serves its metrics", () => {
    const config = loadIngestionConfig({}, { METRICS_HOST: "0.0.0.0", METRICS_PORT: "9200" });
    expect(config.sensor.metrics).toEqual({ host: "0.0.0.0", port: 9200 });
  });

  it("reads lists and numbers", () => {
    const config = loadIngestionConfig(
      {},
      {
        TICKERS: "AAPL, MSFT",
        KAFKA_BROKERS: "a:9092,b:9092",
        POLYGON_CALLS_PER_MINUTE: "600",
        HTTP_TIMEOUT_MS: "2500",
        KAFKA_TOPIC_PREFIX: "staging.",
      },
    );
    expect(config.tickers).toEqual(["AAPL", "MSFT"]);
    expect(config.kafka).toEqual({
      brokers: ["a:9092", "b:9092"],
      clientId: "hdp-ingestion",
      topicPrefix: "staging.",
    });
    expect(config.polygon.callsPerMinute).toBe(600);
    expect(config.http.timeoutMs).toBe(2500);
  });

  it.each([
    [{ INGEST_SOURCE: "polygon" }, "POLYGON_API_KEY: is required when INGEST_SOURCE=polygon"],
    [{ INGEST_SOURCE: "finnhub" }, "FINNHUB_API_KEY: is required when INGEST_SOURCE=finnhub"],
    [{ INGEST_SOURCE: "yahoo" }, "INGEST_SOURCE:"],
    [{ KAFKA_TOPIC_PREFIX: "dev/" }, "KAFKA_TOPIC_PREFIX: may hold only letters"],
    [{ TICKERS: "aapl" }, "TICKERS.0: must be an upper-case ticker"],
    [{ TICKERS: " , " }, "TICKERS: must name at least one ticker"],
    [{ FINNHUB_PLAN: "gold" }, "FINNHUB_PLAN:"],
    [{ POLYGON_CALLS_PER_MINUTE: "0" }, "POLYGON_CALLS_PER_MINUTE:"],
    [{ HTTP_TIMEOUT_MS: "soon" }, "HTTP_TIMEOUT_MS:"],
    [{ SENSOR_DEVICE: "Pi_Lab" }, "SENSOR_DEVICE: must be a DNS-1123 label"],
    [{ SENSOR_INTERVAL_SECONDS: "-1" }, "SENSOR_INTERVAL_SECONDS:"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL:"],
    [{ METRICS_PORT: "70000" }, "METRICS_PORT:"],
    [{ METRICS_PORT: "metrics" }, "METRICS_PORT:"],
  ])("refuses %j, naming the variable", (env, expected) => {
    expect(problems(env)).toContain(expected);
  });

  it("lets command-line overrides win over the environment", () => {
    const config = loadIngestionConfig(
      { INGEST_SOURCE: "finnhub" },
      { INGEST_SOURCE: "replay", FINNHUB_API_KEY: "fh-key-123456" },
    );
    expect(config.source).toBe("finnhub");
  });

  it("ignores an override that is not given", () => {
    expect(loadIngestionConfig({ INGEST_SOURCE: undefined }, { INGEST_SOURCE: "replay" }).source).toBe(
      "replay",
    );
  });

  it("hands the API keys to the logger as secrets", () => {
    const config = loadIngestionConfig({}, { POLYGON_API_KEY: "pk-123456", FINNHUB_API_KEY: "fh-654321" });
    expect(configSecrets(config)).toEqual(["pk-123456", "fh-654321"]);
  });
});

import { ConfigError } from "@hdp/shared";
import { describe, expect, it } from "vitest";
import { databasePassword, loadProcessingConfig } from "./config.js";

const minimal = { DATABASE_URL: "postgres://app:pw@db:5432/app", KAFKA_BROKERS: "kafka-0:9092,kafka-1:9092" };

function problems(env: Record<string, string>): string[] {
  try {
    loadProcessingConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("loadProcessingConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadProcessingConfig(minimal);
    expect(config.KAFKA_BROKERS).toEqual(["kafka-0:9092", "kafka-1:9092"]);
    expect(config.KAFKA_GROUP_ID).toBe("processing");
    expect(config.KAFKA_TOPIC_PREFIX).toBe("");
    expect(config.KAFKA_SESSION_TIMEOUT_MS).toBe(30_000);
    expect(config.ANALYTICS_URL).toBe("http://127.0.0.1:8082");
    expect(config.PORT).toBe(8081);
    expect(config.MIGRATE_ON_START).toBe(true);
  });

  it.each([
    [{ DATABASE_URL: undefined }, "DATABASE_URL: is required"],
    [{ DATABASE_URL: "mysql://db/app" }, "DATABASE_URL: must be a postgres:// URL"],
    [{ KAFKA_BROKERS: undefined }, "KAFKA_BROKERS: is required"],
    [{ KAFKA_BROKERS: "kafka-0" }, "KAFKA_BROKERS.0: must be host:port"],
    [{ PORT: "http" }, "PORT:"],
    [{ ANALYTICS_URL: "analytics" }, "ANALYTICS_URL:"],
    [{ ANALYTICS_BATCH_SIZE: "1000" }, "ANALYTICS_BATCH_SIZE:"],
    [{ KAFKA_SESSION_TIMEOUT_MS: "1000" }, "KAFKA_SESSION_TIMEOUT_MS:"],
    [{ KAFKA_TOPIC_PREFIX: "a b" }, "KAFKA_TOPIC_PREFIX: may hold only letters"],
    [{ MIGRATE_ON_START: "maybe" }, "MIGRATE_ON_START:"],
  ])("refuses %o, naming the variable", (override, message) => {
    const env = Object.fromEntries(
      Object.entries({ ...minimal, ...override }).filter((e): e is [string, string] => e[1] !== undefined),
    );
    expect(problems(env).join("\n")).toContain(message);
  });

  it("reports every bad variable at once", () => {
    expect(problems({ PORT: "x", LOG_LEVEL: "loud" }).map((p) => p.split(":")[0])).toEqual(
      expect.arrayContaining(["DATABASE_URL", "KAFKA_BROKERS", "PORT", "LOG_LEVEL"]),
    );
  });

  it("finds the password in a database URL so that the logger can scrub it", () => {
    expect(databasePassword("postgres://app:s%40cret@db/app")).toBe("s@cret");
    expect(databasePassword("postgres://db/app")).toBeUndefined();
  });
});

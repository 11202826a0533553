import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const DATABASE_URL = "postgres://hdp@localhost:5432/hdp";

describe("middle-tier config", () => {
  it("applies the defaults when only DATABASE_URL is set", () => {
    expect(loadConfig({ DATABASE_URL })).toEqual({
      databaseUrl: DATABASE_URL,
      port: 8080,
      host: "127.0.0.1",
      metrics: undefined,
      corsOrigins: [],
      dbPoolSize: 10,
      logLevel: "info",
    });
  });

  it("reads CORS_ORIGINS as a comma-separated list", () => {
    const config = loadConfig({ DATABASE_URL, CORS_ORIGINS: "https://a.example, https://b.example," });
    expect(config.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
  });

  it("gives /metrics a listener of its own with METRICS_PORT, on HOST unless METRICS_HOST is set", () => {
    expect(loadConfig({ DATABASE_URL, HOST: "10.0.0.5", METRICS_PORT: "9102" }).metrics).toEqual({
      host: "10.0.0.5",
      port: 9102,
    });
    expect(loadConfig({ DATABASE_URL, METRICS_PORT: "9102", METRICS_HOST: "0.0.0.0" }).metrics).toEqual({
      host: "0.0.0.0",
      port: 9102,
    });
  });

  it.each([
    ["70000", "Too big: expected number to be <=65535"],
    ["-1", "Too small: expected number to be >=0"],
    ["metrics", "Invalid input: expected number, received NaN"],
    ["9102.5", "Invalid input: expected int, received number"],
  ])("refuses METRICS_PORT=%s, naming it", (value, reason) => {
    expect(() => loadConfig({ DATABASE_URL, METRICS_PORT: value })).toThrow(
      `invalid configuration:\n  METRICS_PORT: ${reason}`,
    );
  });

  it("refuses METRICS_HOST without METRICS_PORT, which would leave it unused", () => {
    expect(() => loadConfig({ DATABASE_URL, METRICS_HOST: "0.0.0.0" })).toThrow(
      "invalid configuration:\n  METRICS_HOST: is set but METRICS_PORT is not",
    );
  });

  it("refuses to start without DATABASE_URL, naming it", () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL: is required/);
  });

  it("names every bad variable at once", () => {
    expect(() => loadConfig({ DATABASE_URL, PORT: "70000", DB_POOL_SIZE: "0", LOG_LEVEL: "loud" })).toThrow(
      /PORT:.*DB_POOL_SIZE:.*LOG_LEVEL:/s,
    );
  });
});

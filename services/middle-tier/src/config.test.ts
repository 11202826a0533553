import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

const DATABASE_URL = "postgres://hdp@localhost:5432/hdp";

describe("middle-tier config", () => {
  it("applies the defaults when only DATABASE_URL is set", () => {
    expect(loadConfig({ DATABASE_URL })).toEqual({
      databaseUrl: DATABASE_URL,
      port: 8080,
      host: "127.0.0.1",
      corsOrigins: [],
      dbPoolSize: 10,
      logLevel: "info",
    });
  });

  it("reads CORS_ORIGINS as a comma-separated list", () => {
    const config = loadConfig({ DATABASE_URL, CORS_ORIGINS: "https://a.example, https://b.example," });
    expect(config.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
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

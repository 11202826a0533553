import { describe, expect, it } from "vitest";
import { ConfigError } from "@hdp/shared";
import { loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("uses the documented defaults when nothing is set", () => {
    expect(loadConfig({})).toEqual({
      port: 8082,
      host: "127.0.0.1",
      logLevel: "info",
      bodyLimitBytes: 1_048_576,
      sentimentModel: "vader-finance",
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "9000",
      HOST: "0.0.0.0",
      LOG_LEVEL: "debug",
      BODY_LIMIT_BYTES: "2048",
      SENTIMENT_MODEL: "vader",
    });
    expect(config).toEqual({
      port: 9000,
      host: "0.0.0.0",
      logLevel: "debug",
      bodyLimitBytes: 2048,
      sentimentModel: "vader",
    });
  });

  it("treats an empty value as unset", () => {
    expect(loadConfig({ PORT: "", HOST: "" })).toMatchObject({ port: 8082, host: "127.0.0.1" });
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["LOG_LEVEL", "loud"],
    ["BODY_LIMIT_BYTES", "0"],
    ["BODY_LIMIT_BYTES", "1.5"],
    ["SENTIMENT_MODEL", "bert"],
  ])("rejects %s=%s with a ConfigError naming the variable", (name, value) => {
    const load = () => loadConfig({ [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(new RegExp(`${name}: `));
  });

  it("names every bad variable at once", () => {
    try {
      loadConfig({ PORT: "abc", SENTIMENT_MODEL: "bert" });
      expect.unreachable("loadConfig accepted bad values");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.map((p) => p.split(":")[0])).toEqual(["PORT", "SENTIMENT_MODEL"]);
    }
  });
});

import { describe, expect, it } from "vitest";
import { createPool } from "./pool.js";
import { isDatabaseUnavailable } from "./errors.js";
import { freePort } from "../../../../scripts/lib/ports.js";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["a refused connection", withCode("ECONNREFUSED")],
    ["a reset connection", withCode("ECONNRESET")],
    ["an admin shutdown", withCode("57P01", "terminating connection due to administrator command")],
    ["a connection exception (class 08)", withCode("08006")],
    ["a connection cut mid-query", new Error("Connection terminated unexpectedly")],
    ["a pool that could not connect in time", new Error("timeout exceeded when trying to connect")],
    ["a wrapped refusal", new Error("database: failed", { cause: withCode("ECONNREFUSED") })],
    ["every address refused", new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")])],
  ])("is true for %s", (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a syntax error", withCode("42601", 'syntax error at or near "SELEC"')],
    ["a unique violation", withCode("23505")],
    ["a plain bug", new TypeError("cannot read properties of undefined")],
    ["nothing", undefined],
  ])("is false for %s", (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("is true for what a pool says when no server listens", async () => {
    const pool = createPool(`postgres://postgres@127.0.0.1:${await freePort()}/postgres`, { max: 1 });
    const error = await pool.query("SELECT 1").catch((e: unknown) => e);
    await pool.end();
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { exchangeTime, tradingDaysResponseSchema } from "@hdp/shared";
import { CACHE_LIVE } from "../cache.js";
import { BARS_PER_DAY, COMPLETE_DAY, DAY_1, DAY_2, useSeededApp } from "../test-support.js";

const seeded = useSeededApp();

async function get(url: string) {
  return seeded.app.inject({ method: "GET", url });
}

describe("GET /v1/days", () => {
  it("lists the exchange days on which the ticker has bars, newest first, counting the session's", async () => {
    const response = await get("/v1/days?ticker=AAPL");
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe(CACHE_LIVE);
    expect(tradingDaysResponseSchema.parse(response.json())).toEqual({
      ticker: "AAPL",
      days: [
        // The pre-market bar of each seeded day is not the session's.
        { date: DAY_2, bars: BARS_PER_DAY, lastBarAt: exchangeTime(DAY_2, 9, 41).toISOString() },
        { date: DAY_1, bars: BARS_PER_DAY, lastBarAt: exchangeTime(DAY_1, 9, 41).toISOString() },
        { date: COMPLETE_DAY, bars: 390, lastBarAt: exchangeTime(COMPLETE_DAY, 15, 59).toISOString() },
      ],
    });
  });

  it("lists at most `limit` days, the newest", async () => {
    const body = tradingDaysResponseSchema.parse((await get("/v1/days?ticker=msft&limit=1")).json());
    expect(body).toMatchObject({ ticker: "MSFT", days: [{ date: DAY_2 }] });
    expect(body.days).toHaveLength(1);
  });

  it("answers 404 for an unknown ticker", async () => {
    const response = await get("/v1/days?ticker=ZZZZ");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, message: "unknown ticker ZZZZ" });
  });

  it.each([
    ["/v1/days", "querystring.ticker"],
    ["/v1/days?ticker=AAPL&limit=0", "querystring.limit"],
    ["/v1/days?ticker=AAPL&limit=101", "querystring.limit"],
    ["/v1/days?ticker=AAPL&limit=two", "querystring.limit"],
  ])("answers 400 naming the parameter for %s", async (url, parameter) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(parameter);
  });

  it("is documented in the OpenAPI document: its parameters, dates as `format: date`, every status described", async () => {
    const document = (await get("/openapi.json")).json();
    const operation = document.paths["/v1/days"].get;
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["limit", "ticker"]);
    const responses = operation.responses as Record<string, { description: string }>;
    expect(Object.keys(responses).sort()).toEqual(["200", "400", "404", "503"]);
    for (const [status, response] of Object.entries(responses)) {
      expect(response.description, status).not.toBe("Default Response");
    }
    const day =
      document.paths["/v1/days"].get.responses["200"].content["application/json"].schema.properties.days
        .items;
    expect(day.properties.date).toMatchObject({ type: "string", format: "date" });
    expect(day.properties.lastBarAt).toMatchObject({ type: "string", format: "date-time" });
  });
});

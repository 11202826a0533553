import { describe, expect, it } from "vitest";
import { createPool } from "@hdp/shared";
import { buildTestApp, useSeededApp } from "../test-support.js";

const seeded = useSeededApp((pool) => buildTestApp(pool, { corsOrigins: ["https://app.example"] }));

describe("health", () => {
  it("GET /healthz answers 200 while the process runs", async () => {
    const response = await seeded.app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz answers 200 when the database answers", async () => {
    const response = await seeded.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ready" });
  });

  it("GET /readyz answers 503 when the database cannot be reached", async () => {
    const unreachable = createPool("postgres://nobody@127.0.0.1:1/none", { max: 1 });
    unreachable.on("error", () => {});
    const lonely = buildTestApp(unreachable);
    const response = await lonely.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: "unavailable" });
    await lonely.close();
    await unreachable.end();
  });
});

describe("metrics", () => {
  it("GET /metrics counts requests by route in Prometheus text", async () => {
    await seeded.app.inject({ method: "GET", url: "/v1/tickers" });
    const response = await seeded.app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    expect(response.body).toMatch(
      /http_requests_total\{method="GET",route="\/v1\/tickers",status_code="200"\} \d+/,
    );
  });
});

describe("documentation", () => {
  it("GET /openapi.json is an OpenAPI 3 document listing every API route with its parameters", async () => {
    const response = await seeded.app.inject({ method: "GET", url: "/openapi.json" });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        "/marketData/oneMinute",
        "/news/description",
        "/v1/candles",
        "/v1/days",
        "/v1/devices",
        "/v1/news",
        "/v1/sensors",
        "/v1/status",
        "/v1/stream",
        "/v1/tickers",
      ].sort(),
    );
    const candleParameters = document.paths["/v1/candles"].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(candleParameters).toEqual(expect.arrayContaining(["ticker", "date", "from", "to"]));
    expect(document.paths["/v1/candles"].get.responses["200"]).toBeDefined();
  });

  it("GET /docs serves the interactive docs and their assets locally", async () => {
    const page = await seeded.app.inject({ method: "GET", url: "/docs/" });
    expect(page.body).toContain("swagger-ui");
    expect(page.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const bundle = await seeded.app.inject({ method: "GET", url: "/docs/static/swagger-ui-bundle.js" });
    expect(bundle.statusCode).toBe(200);
  });

  it("GET /docs redirects to docs/, where the page names its assets by relative paths (it works under a prefix)", async () => {
    const redirect = await seeded.app.inject({ method: "GET", url: "/docs?tag=market" });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe("docs/?tag=market");
    const page = await seeded.app.inject({ method: "GET", url: "/docs/" });
    expect(page.body).toContain('src="./static/swagger-ui-bundle.js"');
    expect(page.body).not.toMatch(/(src|href)="\//);
  });

  it("gives Swagger UI the document with its server one folder up from docs/json: the API, under any prefix", async () => {
    const document = (await seeded.app.inject({ method: "GET", url: "/docs/json" })).json();
    expect(document.servers).toMatchObject([{ url: "../" }]);
    expect(Object.keys(document.paths)).toContain("/v1/candles");
  });

  it("GET /redoc serves ReDoc on the same document, its script from the package", async () => {
    const page = await seeded.app.inject({ method: "GET", url: "/redoc" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<redoc spec-url="openapi.json">');
    expect(page.body).not.toMatch(/https?:\/\//);
    const bundle = await seeded.app.inject({ method: "GET", url: "/redoc/redoc.standalone.js" });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers["content-type"]).toContain("javascript");
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });
});

describe("HTTP behaviour", () => {
  it("allows a configured origin and no other", async () => {
    const allowed = await seeded.app.inject({
      method: "GET",
      url: "/v1/tickers",
      headers: { origin: "https://app.example" },
    });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example");
    const refused = await seeded.app.inject({
      method: "GET",
      url: "/v1/tickers",
      headers: { origin: "https://evil.example" },
    });
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("compresses large answers for clients that accept it", async () => {
    const response = await seeded.app.inject({
      method: "GET",
      url: "/v1/candles?ticker=AAPL&from=2024-03-04&to=2024-03-05",
      headers: { "accept-encoding": "gzip" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBe("gzip");
  });
});

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

/** The OpenAPI document as the app serves it. */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  parameters?: { name: string; schema: Record<string, unknown> }[];
  responses: Record<string, { description: string; content?: Record<string, unknown>; headers?: object }>;
}

describe("documentation", () => {
  const openapi = async (): Promise<OpenApiDocument> =>
    (await seeded.app.inject({ method: "GET", url: "/openapi.json" })).json();

  it("GET /openapi.json is an OpenAPI 3 document listing every API route with its parameters", async () => {
    const document = await openapi();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        "/healthz",
        "/marketData/oneMinute",
        "/metrics",
        "/news/description",
        "/readyz",
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
    const candleParameters = document.paths["/v1/candles"]?.get?.parameters?.map((p) => p.name);
    expect(candleParameters).toEqual(expect.arrayContaining(["ticker", "date", "from", "to"]));
  });

  it("describes every response of every route, none as 'Default Response'", async () => {
    const document = await openapi();
    const text = JSON.stringify(document);
    expect(text).not.toContain("Default Response");
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          expect(response.description, `${method} ${path} ${status}`).toMatch(/^[A-Z`].{8,}/);
        }
      }
    }
  });

  it("documents each error status per route", async () => {
    const statuses = (path: string) =>
      Object.keys((document.paths[path]?.get ?? { responses: {} }).responses);
    const document = await openapi();
    expect(statuses("/healthz")).toEqual(["200"]);
    expect(statuses("/readyz")).toEqual(["200", "503"]);
    expect(statuses("/metrics")).toEqual(["200"]);
    expect(statuses("/v1/tickers")).toEqual(["200", "400", "503"]);
    expect(statuses("/v1/days")).toEqual(["200", "400", "404", "503"]);
    expect(statuses("/v1/devices")).toEqual(["200", "503"]);
    expect(statuses("/v1/status")).toEqual(["200", "503"]);
    expect(statuses("/v1/candles")).toEqual(["200", "304", "400", "404", "503"]);
    for (const path of ["/v1/news", "/v1/sensors", "/v1/stream"]) {
      expect(statuses(path), path).toEqual(["200", "400", "404", "503"]);
    }
    for (const path of ["/marketData/oneMinute", "/news/description"]) {
      expect(statuses(path), path).toEqual(["200", "404", "422", "503"]);
    }
    const unavailable = document.paths["/v1/tickers"]?.get?.responses["503"];
    expect(Object.keys(unavailable?.headers ?? {})).toEqual(["retry-after"]);
  });

  it("names the media type of the stream and of the metrics", async () => {
    const document = await openapi();
    const media = (path: string) => Object.keys(document.paths[path]?.get?.responses["200"]?.content ?? {});
    expect(media("/v1/stream")).toEqual(["text/event-stream"]);
    expect(media("/metrics")).toEqual(["text/plain"]);
    expect(media("/v1/candles")).toEqual(["application/json"]);
    expect(document.paths["/v1/candles"]?.get?.responses["304"]?.content).toBeUndefined();
  });

  it("shows dates as format: date with an example, without the regular expression", async () => {
    const document = await openapi();
    const text = JSON.stringify(document);
    expect(text).not.toMatch(/"format":"date(-time)?","pattern"/);
    expect(text).not.toMatch(/"pattern":"[^"]*\\d\{4\}/);
    const date = document.paths["/v1/candles"]?.get?.parameters?.find((p) => p.name === "date");
    expect(date?.schema).toEqual({ type: "string", format: "date", example: "2024-03-04" });
    const day = document.paths["/news/description"]?.get?.parameters?.find((p) => p.name === "day");
    expect(day?.schema).toMatchObject({ format: "date", example: "2024-03-04" });
  });

  it("still refuses an impossible date though the document has no regular expression for it", async () => {
    const response = await seeded.app.inject({
      method: "GET",
      url: "/v1/candles?ticker=AAPL&date=2024-02-30",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe("querystring.date: must be a date YYYY-MM-DD");
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
  it.each([
    ["POST", "/v1/tickers", "GET, HEAD"],
    ["DELETE", "/v1/candles?ticker=AAPL", "GET, HEAD"],
    ["PUT", "/marketData/oneMinute", "GET, HEAD"],
    ["PATCH", "/healthz", "GET, HEAD"],
  ] as const)("answers %s %s 405 with Allow: %s", async (method, url, allow) => {
    const response = await seeded.app.inject({ method, url });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe(allow);
    const path = url.split("?")[0];
    expect(response.json()).toEqual({
      error: "Method Not Allowed",
      message: `${method} is not allowed on ${path}; allowed: ${allow}`,
      statusCode: 405,
    });
  });

  it("answers 405 before it looks at the body of the request", async () => {
    const response = await seeded.app.inject({
      method: "POST",
      url: "/v1/news?ticker=AAPL",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
  });

  it("answers a path no route serves 404, whatever the method", async () => {
    for (const method of ["GET", "POST"] as const) {
      const response = await seeded.app.inject({ method, url: "/v1/nothing" });
      expect(response.statusCode).toBe(404);
      expect(response.headers.allow).toBeUndefined();
      expect(response.json()).toMatchObject({ error: "Not Found", statusCode: 404 });
    }
  });

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

import Fastify from "fastify";
import { Counter, Histogram, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { registerHttpMetrics } from "./metrics.js";

function buildApp(registry = new Registry()) {
  const app = Fastify();
  registerHttpMetrics(app, { registry, prometheus: { Counter, Histogram } });
  app.get("/items/:id", async () => ({ ok: true }));
  app.get("/broken", async () => {
    throw new Error("boom");
  });
  return app;
}

const apps: ReturnType<typeof buildApp>[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function scrape(app: ReturnType<typeof buildApp>) {
  const response = await app.inject({ method: "GET", url: "/metrics" });
  expect(response.statusCode).toBe(200);
  return response;
}

describe("registerHttpMetrics", () => {
  it("serves the registry at GET /metrics in the Prometheus text format", async () => {
    const registry = new Registry();
    new Counter({ name: "service_things_total", help: "Things.", registers: [registry] }).inc(3);
    const app = buildApp(registry);
    apps.push(app);
    const response = await scrape(app);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain("service_things_total 3");
  });

  it("counts requests and their durations by method, route pattern and status", async () => {
    const app = buildApp();
    apps.push(app);
    await app.inject({ method: "GET", url: "/items/1" });
    await app.inject({ method: "GET", url: "/items/2" });
    await app.inject({ method: "GET", url: "/broken" });
    const text = (await scrape(app)).body;
    expect(text).toContain('http_requests_total{method="GET",route="/items/:id",status_code="200"} 2');
    expect(text).toContain('http_requests_total{method="GET",route="/broken",status_code="500"} 1');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/items/:id",status_code="200"} 2',
    );
  });

  it("gives every unmatched path one label", async () => {
    const app = buildApp();
    apps.push(app);
    await app.inject({ method: "GET", url: "/wp-admin" });
    await app.inject({ method: "GET", url: "/.env" });
    expect((await scrape(app)).body).toContain(
      'http_requests_total{method="GET",route="unmatched",status_code="404"} 2',
    );
  });

  it("leaves /metrics off the app with route: false, and still counts the app's requests", async () => {
    const registry = new Registry();
    const app = Fastify();
    apps.push(app);
    registerHttpMetrics(app, { registry, prometheus: { Counter, Histogram }, route: false });
    app.get("/items/:id", async () => ({ ok: true }));
    await app.inject({ method: "GET", url: "/items/1" });
    expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
    const text = await registry.metrics();
    expect(text).toContain('http_requests_total{method="GET",route="/items/:id",status_code="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status_code="404"} 1');
  });

  it("keeps each app's counts in its own registry", async () => {
    const [first, second] = [buildApp(), buildApp()];
    apps.push(first, second);
    await first.inject({ method: "GET", url: "/items/1" });
    await first.inject({ method: "GET", url: "/items/1" });
    await second.inject({ method: "GET", url: "/items/1" });
    expect((await scrape(first)).body).toContain('route="/items/:id",status_code="200"} 2');
    expect((await scrape(second)).body).toContain('route="/items/:id",status_code="200"} 1');
  });
});

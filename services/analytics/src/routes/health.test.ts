import { describe, expect, it } from "vitest";
import { buildTestApp, createFakeModel } from "../test-support.js";

describe("health endpoints", () => {
  it("GET /healthz answers 200 while the process runs, even before the model is ready", async () => {
    const app = buildTestApp({ model: createFakeModel({ ready: false }) });
    const response = await app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
    await app.close();
  });

  it("GET /readyz answers 200 with the model name once the model can score", async () => {
    const app = buildTestApp();
    const response = await app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ready", model: "vader-finance@2" });
    await app.close();
  });

  it("GET /readyz answers 503 until the model has loaded", async () => {
    const model = createFakeModel({ ready: false });
    const app = buildTestApp({ model });
    const loading = await app.inject({ method: "GET", url: "/readyz" });
    expect(loading.statusCode).toBe(503);
    expect(loading.json()).toEqual({ status: "loading", model: "fake@1" });

    await model.load();
    expect((await app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
    await app.close();
  });

  it("closing the app closes the model", async () => {
    const model = createFakeModel();
    const app = buildTestApp({ model });
    await app.ready();
    await app.close();
    expect(model.closed).toBe(true);
  });
});

import { MAX_SENTIMENT_BATCH, sentimentResponseSchema } from "@hdp/shared";
import { afterEach, describe, expect, it } from "vitest";
import type { AnalyticsApp } from "../app.js";
import { buildTestApp, createFakeModel } from "../test-support.js";

let app: AnalyticsApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function post(target: AnalyticsApp, payload: unknown) {
  return target.inject({ method: "POST", url: "/v1/sentiment", payload: payload as object });
}

describe("POST /v1/sentiment", () => {
  it("answers one result per article, in request order, in the shared response shape", async () => {
    app = buildTestApp();
    const response = await post(app, {
      articles: [
        { id: "up", title: "Analyst upgrades Acme to buy" },
        { id: "down", title: "Acme announces 10,000 layoffs", description: null },
        { id: "flat", title: "Acme will hold its annual meeting", description: "On Tuesday, as usual" },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = sentimentResponseSchema.parse(response.json());
    expect(body.results.map((r) => [r.id, r.label, r.model])).toEqual([
      ["up", "positive", "vader-finance@2"],
      ["down", "negative", "vader-finance@2"],
      ["flat", "neutral", "vader-finance@2"],
    ]);
  });

  it("labels scores by the shared ±0.05 thresholds", async () => {
    const scores = [0.05, 0.0499, 0, -0.0499, -0.05, 1, -1];
    app = buildTestApp({ model: createFakeModel({ scores }) });
    const articles = scores.map((_s, i) => ({ id: String(i), title: `headline ${i}` }));
    const response = await post(app, { articles });
    const body = sentimentResponseSchema.parse(response.json());
    expect(body.results.map((r) => [r.score, r.label])).toEqual([
      [0.05, "positive"],
      [0.0499, "neutral"],
      [0, "neutral"],
      [-0.0499, "neutral"],
      [-0.05, "negative"],
      [1, "positive"],
      [-1, "negative"],
    ]);
  });

  it("scores title and description joined by '. '", async () => {
    const model = createFakeModel();
    app = buildTestApp({ model });
    await post(app, { articles: [{ id: "a", title: "Acme beats", description: "Shares rise" }] });
    expect(model.batches).toEqual([["Acme beats. Shares rise"]]);
  });

  it("accepts a batch of exactly MAX_SENTIMENT_BATCH articles", async () => {
    app = buildTestApp({ model: createFakeModel() });
    const articles = Array.from({ length: MAX_SENTIMENT_BATCH }, (_v, i) => ({ id: `a${i}`, title: "t" }));
    const response = await post(app, { articles });
    expect(response.statusCode).toBe(200);
    expect(sentimentResponseSchema.parse(response.json()).results).toHaveLength(MAX_SENTIMENT_BATCH);
  });

  it.each([
    ["a missing title", { articles: [{ id: "a" }] }, "body.articles.0.title: "],
    ["an empty title", { articles: [{ id: "a", title: "" }] }, "body.articles.0.title: "],
    [
      "a missing id in the second article",
      { articles: [{ id: "a", title: "t" }, { title: "t" }] },
      "body.articles.1.id: ",
    ],
    ["an empty batch", { articles: [] }, "body.articles: "],
    [
      "a batch over MAX_SENTIMENT_BATCH",
      { articles: Array.from({ length: MAX_SENTIMENT_BATCH + 1 }, (_v, i) => ({ id: `a${i}`, title: "t" })) },
      "body.articles: ",
    ],
    ["a title that is a number", { articles: [{ id: "a", title: 42 }] }, "body.articles.0.title: "],
    [
      "a description that is an object",
      { articles: [{ id: "a", title: "t", description: {} }] },
      "body.articles.0.description: ",
    ],
    ["articles that is not an array", { articles: "many" }, "body.articles: "],
  ])("answers 400 naming the field for %s", async (_case, payload, field) => {
    const model = createFakeModel();
    app = buildTestApp({ model });
    const response = await post(app, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: "Bad Request", statusCode: 400 });
    expect(response.json().message).toContain(field);
    expect(model.batches).toEqual([]);
  });

  it("answers 413 for a body over the configured limit", async () => {
    app = buildTestApp({ model: createFakeModel(), bodyLimitBytes: 1000 });
    const response = await post(app, { articles: [{ id: "a", title: "x".repeat(1000) }] });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: "Payload Too Large", statusCode: 413 });
  });

  it("answers 503 while the model is loading", async () => {
    app = buildTestApp({ model: createFakeModel({ ready: false }) });
    const response = await post(app, { articles: [{ id: "a", title: "t" }] });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      error: "Service Unavailable",
      message: "sentiment model fake@1 is still loading",
      statusCode: 503,
    });
  });

  it("answers 500 without internals when the model fails", async () => {
    const model = createFakeModel();
    model.score = async () => {
      throw new Error("CUDA out of memory at 0xdeadbeef");
    };
    app = buildTestApp({ model });
    const response = await post(app, { articles: [{ id: "a", title: "t" }] });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: "Internal Server Error",
      message: "internal error",
      statusCode: 500,
    });
  });
});

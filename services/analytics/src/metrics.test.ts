import { describe, expect, it } from "vitest";
import { buildTestApp, createFakeModel, type FakeModel } from "./test-support.js";
import type { AnalyticsApp } from "./app.js";

async function scrape(app: AnalyticsApp): Promise<string> {
  const response = await app.inject({ method: "GET", url: "/metrics" });
  expect(response.statusCode).toBe(200);
  return response.body;
}

describe("GET /metrics", () => {
  it("answers in the Prometheus text format", async () => {
    const app = buildTestApp();
    const response = await app.inject({ method: "GET", url: "/metrics" });
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    await app.close();
  });

  it("counts requests and their durations by method, route and status", async () => {
    const app = buildTestApp({ model: createFakeModel() });
    await app.inject({
      method: "POST",
      url: "/v1/sentiment",
      payload: { articles: [{ id: "a", title: "t" }] },
    });
    await app.inject({ method: "POST", url: "/v1/sentiment", payload: { articles: [] } });
    await app.inject({ method: "GET", url: "/healthz" });
    await app.inject({ method: "GET", url: "/no/such/path" });
    const text = await scrape(app);
    expect(text).toContain('http_requests_total{method="POST",route="/v1/sentiment",status_code="200"} 1');
    expect(text).toContain('http_requests_total{method="POST",route="/v1/sentiment",status_code="400"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="/healthz",status_code="200"} 1');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status_code="404"} 1');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="POST",route="/v1/sentiment",status_code="200"} 1',
    );
    await app.close();
  });

  it("counts articles scored and results per label", async () => {
    const app = buildTestApp();
    await app.inject({
      method: "POST",
      url: "/v1/sentiment",
      payload: {
        articles: [
          { id: "1", title: "Acme soars after record revenue" },
          { id: "2", title: "Acme rallies" },
          { id: "3", title: "Acme announces layoffs" },
        ],
      },
    });
    const text = await scrape(app);
    expect(text).toContain('sentiment_articles_scored_total{model="vader-finance@2"} 3');
    expect(text).toContain('sentiment_labels_total{model="vader-finance@2",label="positive"} 2');
    expect(text).toContain('sentiment_labels_total{model="vader-finance@2",label="negative"} 1');
    expect(text).toContain('sentiment_labels_total{model="vader-finance@2",label="neutral"} 0');
    await app.close();
  });

  it("reports whether the model is ready", async () => {
    const model = createFakeModel({ ready: false });
    const app = buildTestApp({ model });
    expect(await scrape(app)).toContain('sentiment_model_ready{model="fake@1"} 0');
    await model.load();
    expect(await scrape(app)).toContain('sentiment_model_ready{model="fake@1"} 1');
    await app.close();
  });

  it("keeps each app's counts in its own registry", async () => {
    const first = buildTestApp({ model: createFakeModel() });
    const second = buildTestApp({ model: createFakeModel() });
    await first.inject({ method: "GET", url: "/healthz" });
    await first.inject({ method: "GET", url: "/healthz" });
    await second.inject({ method: "GET", url: "/healthz" });
    expect(await scrape(first)).toContain('route="/healthz",status_code="200"} 2');
    expect(await scrape(second)).toContain('route="/healthz",status_code="200"} 1');
    await Promise.all([first.close(), second.close()]);
  });

  it("times each request's batch under the model's name", async () => {
    const model = createFakeModel();
    const score = model.score;
    model.score = async (texts) => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return score(texts);
    };
    const app = buildTestApp({ model });
    await app.inject({
      method: "POST",
      url: "/v1/sentiment",
      payload: {
        articles: [
          { id: "a", title: "t" },
          { id: "b", title: "u" },
        ],
      },
    });
    const text = await scrape(app);
    expect(text).toContain('sentiment_scoring_duration_seconds_count{model="fake@1"} 1');
    // It slept 60 ms: not within 50 ms.
    expect(text).toContain('sentiment_scoring_duration_seconds_bucket{le="0.05",model="fake@1"} 0');
    expect(text).toContain('sentiment_scoring_duration_seconds_bucket{le="+Inf",model="fake@1"} 1');
    await app.close();
  });

  it("shows every scoring failure reason at 0 from the start", async () => {
    const app = buildTestApp({ model: createFakeModel() });
    const text = await scrape(app);
    for (const reason of ["not_ready", "model_error", "invalid_output"]) {
      expect(text).toContain(`sentiment_scoring_failures_total{model="fake@1",reason="${reason}"} 0`);
    }
    expect(text).toContain('sentiment_scoring_duration_seconds_count{model="fake@1"} 0');
    await app.close();
  });

  it.each<{ reason: string; status: number; breakModel: (model: FakeModel) => void }>([
    { reason: "not_ready", status: 503, breakModel: (model) => (model.ready = false) },
    {
      reason: "model_error",
      status: 500,
      breakModel: (model) =>
        (model.score = async () => {
          throw new Error("CUDA out of memory");
        }),
    },
    { reason: "invalid_output", status: 500, breakModel: (model) => (model.score = async () => [0.1]) },
  ])("counts a request the model could not score as $reason", async ({ reason, status, breakModel }) => {
    const model = createFakeModel();
    breakModel(model);
    const app = buildTestApp({ model });
    const response = await app.inject({
      method: "POST",
      url: "/v1/sentiment",
      payload: {
        articles: [
          { id: "a", title: "t" },
          { id: "b", title: "u" },
        ],
      },
    });
    expect(response.statusCode).toBe(status);
    const text = await scrape(app);
    expect(text).toContain(`sentiment_scoring_failures_total{model="fake@1",reason="${reason}"} 1`);
    const others = ["not_ready", "model_error", "invalid_output"].filter((r) => r !== reason);
    for (const other of others) {
      expect(text).toContain(`sentiment_scoring_failures_total{model="fake@1",reason="${other}"} 0`);
    }
    expect(text).toContain('sentiment_articles_scored_total{model="fake@1"} 0');
    await app.close();
  });
});

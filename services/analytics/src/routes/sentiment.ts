import { sentimentRequestSchema, sentimentResponseSchema } from "@hdp/shared";
import type { AnalyticsApp } from "../app.js";
import { errorResponseSchema } from "@hdp/shared";
import { recordResults, timeScoring, type AppMetrics } from "../metrics.js";
import type { SentimentModel } from "../model/sentiment-model.js";
import { scoreArticles } from "../scoring.js";

/** `POST /v1/sentiment`: scores a batch of articles, answering in request order. */
export function registerSentimentRoute(app: AnalyticsApp, model: SentimentModel, metrics: AppMetrics): void {
  app.post(
    "/v1/sentiment",
    {
      schema: {
        body: sentimentRequestSchema,
        response: { 200: sentimentResponseSchema, 503: errorResponseSchema },
      },
    },
    async (request, reply) => {
      if (!model.isReady()) {
        metrics.scoringFailures.inc({ model: model.name, reason: "not_ready" });
        return reply.code(503).send({
          error: "Service Unavailable",
          message: `sentiment model ${model.name} is still loading`,
          statusCode: 503,
        });
      }
      const results = await timeScoring(metrics, model.name, () =>
        scoreArticles(model, request.body.articles),
      );
      recordResults(metrics, results);
      return { results };
    },
  );
}

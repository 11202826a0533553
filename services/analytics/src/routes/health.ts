import type { AnalyticsApp } from "../app.js";
import type { SentimentModel } from "../model/sentiment-model.js";

/** `GET /healthz` (the process answers) and `GET /readyz` (the model can score). */
export function registerHealthRoutes(app: AnalyticsApp, model: SentimentModel): void {
  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    if (model.isReady()) return { status: "ready", model: model.name };
    return reply.code(503).send({ status: "loading", model: model.name });
  });
}

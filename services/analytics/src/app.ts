import Fastify, { type FastifyInstance, type RawServerDefault } from "fastify";
import type { IncomingMessage, ServerResponse } from "node:http";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Logger } from "@hdp/shared";
import type { AnalyticsConfig } from "./config.js";
import { Counter, Histogram } from "prom-client";
import { formatValidationErrors, handleError, registerHttpMetrics } from "@hdp/shared";
import { createMetrics } from "./metrics.js";
import type { SentimentModel } from "./model/sentiment-model.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerSentimentRoute } from "./routes/sentiment.js";

/** The analytics Fastify instance, with zod schemas driving validation and types. */
export type AnalyticsApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger,
  ZodTypeProvider
>;

/** What the app is built from; the caller owns config loading and the model's lifecycle start. */
export interface AppOptions {
  readonly config: Pick<AnalyticsConfig, "bodyLimitBytes">;
  readonly logger: Logger;
  readonly model: SentimentModel;
}

/**
 * Builds the analytics HTTP API (not listening): `POST /v1/sentiment`,
 * `GET /healthz`, `GET /readyz`, `GET /metrics`. Each app has its own metrics
 * registry. Closing the app closes the model.
 */
export function buildApp({ config, logger, model }: AppOptions): AnalyticsApp {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    schemaErrorFormatter: formatValidationErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook("onClose", async () => model.close());

  const metrics = createMetrics(model);
  registerHttpMetrics(app, { registry: metrics.registry, prometheus: { Counter, Histogram } });
  registerHealthRoutes(app, model);
  registerSentimentRoute(app, model, metrics);
  return app;
}

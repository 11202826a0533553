export {
  buildApp,
  buildAppParts,
  type AppOptions,
  type MiddleTierApp,
  type MiddleTierParts,
  type RouteContext,
} from "./app.js";
export {
  loadConfig,
  middleTierEnvSchema,
  type MetricsListenerConfig,
  type MiddleTierConfig,
} from "./config.js";
export { startMiddleTier, type MiddleTierService, type StartOptions } from "./service.js";
export { deviceSchema, sensorReadingsSchema } from "./routes/sensors.js";
export { oneMinuteBarSchema, newsDescriptionSchema, detailSchema } from "./compat/schemas.js";

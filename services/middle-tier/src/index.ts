export { buildApp, type AppOptions, type MiddleTierApp, type RouteContext } from "./app.js";
export { loadConfig, middleTierEnvSchema, type MiddleTierConfig } from "./config.js";
export { deviceSchema, sensorReadingsSchema } from "./routes/sensors.js";
export { oneMinuteBarSchema, newsDescriptionSchema, detailSchema } from "./compat/schemas.js";

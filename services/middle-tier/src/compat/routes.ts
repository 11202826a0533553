import type { MiddleTierApp, RouteContext } from "../app.js";
import { registerCompatMarketRoute } from "./market-data.js";
import { registerCompatNewsRoute } from "./news-description.js";
import { handleCompatError } from "./validation.js";

/**
 * The routes of the original API, in a scope of their own whose error handler answers invalid
 * parameters 422 `{"detail": [...]}` as the original framework does (the `/v1` routes answer 400).
 */
export function registerCompatRoutes(app: MiddleTierApp, context: RouteContext): void {
  void app.register(async (compat: MiddleTierApp) => {
    compat.setErrorHandler(handleCompatError);
    registerCompatMarketRoute(compat, context);
    registerCompatNewsRoute(compat, context);
  });
}

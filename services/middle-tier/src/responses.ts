import { z } from "zod";
import { errorResponseSchema } from "./errors.js";

/**
 * The responses the OpenAPI document lists: each status a route can answer, with the one line that
 * describes it there (`x-response-description`, read by @fastify/swagger; without it the document
 * says "Default Response").
 */

/** `schema`, described in the document as `description` (and with `more` of the response's OpenAPI fields). */
export function documented<T extends z.ZodType>(
  schema: T,
  description: string,
  more: Record<string, unknown> = {},
): T {
  return schema.meta({ "x-response-description": description, ...more });
}

/** 400 of a route with query parameters. */
export const invalidQueryResponse = documented(
  errorResponseSchema,
  "A query parameter is missing or malformed: the message names each one once, e.g. `querystring.date: must be a date YYYY-MM-DD`",
);

/** 503 of a route that reads the database (see `handleError`). */
export const databaseUnavailableResponse = documented(
  errorResponseSchema,
  "The database cannot be reached right now; try again after `retry-after` seconds",
  { headers: { "retry-after": { type: "integer", description: "Seconds to wait before trying again" } } },
);

/** A 404 answered with the `{error, message, statusCode}` body, saying what was not found. */
export function notFoundResponse(description: string) {
  return documented(errorResponseSchema, description);
}

import { STATUS_CODES } from "node:http";
import { z } from "zod";
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from "fastify";
import { isDatabaseUnavailable } from "../db/errors.js";

/** Body of every error answer of our HTTP APIs, e.g. `{"error":"Bad Request","message":"querystring.date: ...","statusCode":400}`. */
export const errorResponseSchema = z.object({
  error: z.string(),
  message: z.string(),
  statusCode: z.number().int(),
});

/**
 * Fastify `schemaErrorFormatter`: one message for all validation failures of a request, each naming its field
 * as a dotted path: `body.articles.0.title: Invalid input: expected string, received undefined`. A field that
 * breaks several rules (a huge `limit`: not a safe integer, and above the maximum) is named once, with the
 * first rule it breaks.
 */
export function formatValidationErrors(
  errors: readonly FastifySchemaValidationError[],
  dataVar: string,
): Error {
  const reasons = new Map<string, string>();
  for (const error of errors) {
    const path = [dataVar, ...error.instancePath.split("/").filter((part) => part !== "")].join(".");
    if (!reasons.has(path)) reasons.set(path, `${path}: ${error.message ?? "is invalid"}`);
  }
  return new Error([...reasons.values()].join("; "));
}

/**
 * Answers `{ error, message, statusCode }`. Client errors keep their message;
 * server errors are logged here, once, and answered without internals.
 */
export async function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.statusCode === undefined && isDatabaseUnavailable(error)) {
    // A passing outage, not a fault of the request or the code: the client may try again shortly.
    request.log.warn({ err: error }, "database unavailable");
    return reply.code(503).header("retry-after", "5").send({
      error: STATUS_CODES[503],
      message: "database unavailable, try again shortly",
      statusCode: 503,
    });
  }
  const statusCode = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
  if (statusCode >= 500) {
    request.log.error({ err: error }, "request failed");
    return reply
      .code(statusCode)
      .send({ error: STATUS_CODES[statusCode], message: "internal error", statusCode });
  }
  return reply.code(statusCode).send({ error: STATUS_CODES[statusCode], message: error.message, statusCode });
}

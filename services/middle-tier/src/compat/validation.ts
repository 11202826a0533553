import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from "fastify";
import type { z } from "zod";
import { handleError } from "../errors.js";
import type { validationIssueSchema } from "./schemas.js";

/**
 * Invalid parameters as the original API (FastAPI) answers them: 422 with `{"detail": [...]}`, one
 * item per invalid parameter in pydantic 2's shape (`type`, `loc`, `msg`, `input`, `ctx` for a bound).
 */

type ValidationIssue = z.infer<typeof validationIssueSchema>;

/** Where FastAPI says a parameter was: its `loc` names the request part as these words. */
const LOCATIONS: Readonly<Record<string, string>> = {
  querystring: "query",
  params: "path",
  headers: "header",
  body: "body",
};

/** The error handler of the compatibility routes: 422 for invalid parameters, as `handleError` otherwise. */
export async function handleCompatError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation === undefined || error.validationContext === undefined) {
    return handleError(error, request, reply);
  }
  const part = error.validationContext;
  const received = (part === "querystring" ? request.query : undefined) as
    Record<string, unknown> | undefined;
  return reply.code(422).send({ detail: toValidationIssues(error.validation, part, received ?? {}) });
}

/** pydantic's items for a request's failures: the first failure of each parameter, in order. */
export function toValidationIssues(
  failures: readonly FastifySchemaValidationError[],
  part: string,
  received: Readonly<Record<string, unknown>>,
): ValidationIssue[] {
  const issues = new Map<string, ValidationIssue>();
  for (const failure of failures) {
    const path = failure.instancePath.split("/").filter((segment) => segment !== "");
    const key = path.join("/");
    if (issues.has(key)) continue;
    const input = path[0] === undefined ? received : received[path[0]];
    const { type, msg, ctx } = describe(failure, input);
    const loc = [LOCATIONS[part] ?? part, ...path];
    // In pydantic's order, which is also the schema's.
    issues.set(key, { type, loc, msg, input: input ?? null, ...(ctx === undefined ? {} : { ctx }) });
  }
  return [...issues.values()];
}

/** pydantic's `type`, `msg` and `ctx` for one failure, from the zod issue behind it. */
function describe(
  failure: FastifySchemaValidationError,
  input: unknown,
): Omit<ValidationIssue, "loc" | "input"> {
  const params = failure.params as {
    expected?: unknown;
    format?: unknown;
    pattern?: unknown;
    minimum?: unknown;
    maximum?: unknown;
  };
  if (input === undefined) return { type: "missing", msg: "Field required" };
  switch (failure.keyword) {
    case "too_small":
      return {
        type: "greater_than_equal",
        msg: `Input should be greater than or equal to ${String(params.minimum)}`,
        ctx: { ge: params.minimum },
      };
    case "too_big":
      return {
        type: "less_than_equal",
        msg: `Input should be less than or equal to ${String(params.maximum)}`,
        ctx: { le: params.maximum },
      };
    case "invalid_type":
      if (params.expected === "string") return { type: "string_type", msg: "Input should be a valid string" };
      return {
        type: "int_parsing",
        msg: "Input should be a valid integer, unable to parse string as an integer",
      };
    case "invalid_format":
      if (params.format === "date") {
        return { type: "date_parsing", msg: "Input should be a valid date in the format YYYY-MM-DD" };
      }
      if (params.format === "regex") {
        const pattern = String(params.pattern).replace(/^\/|\/[a-z]*$/g, "");
        return {
          type: "string_pattern_mismatch",
          msg: `String should match pattern '${pattern}'`,
          ctx: { pattern },
        };
      }
      return { type: "value_error", msg: `Value error, ${failure.message ?? "is invalid"}` };
    default:
      return { type: "value_error", msg: `Value error, ${failure.message ?? "is invalid"}` };
  }
}

import type { FastifySerializerCompiler } from "fastify";
import { z } from "zod";

export interface ResponseSerializerOptions {
  /**
   * Check every answer against its response schema before sending it. The zod type
   * provider already checks handlers' return types at compile time, so production
   * skips this per-request cost (for a 390-bar `/v1/candles` answer, as much as
   * writing the JSON); tests turn it on.
   * @default false
   */
  readonly checkResponses?: boolean;
}

/**
 * Serializer compiler for routes whose response schemas are zod schemas: the
 * handler's value as JSON text. With `checkResponses`, the value must also pass its
 * schema unchanged: a field the schema does not list (which zod would strip, and an
 * unchecked answer would carry) is an error there too.
 */
export function createResponseSerializerCompiler(
  options: ResponseSerializerOptions = {},
): FastifySerializerCompiler<z.core.$ZodType> {
  if (!options.checkResponses) return () => (data) => JSON.stringify(data);
  return ({ schema, method, url }) =>
    (data) => {
      const checked = z.safeEncode(schema, data);
      if (!checked.success) {
        throw new ResponseCheckError(method, url, z.prettifyError(checked.error), { cause: checked.error });
      }
      const text = JSON.stringify(data);
      if (text !== JSON.stringify(checked.data)) {
        throw new ResponseCheckError(method, url, "it has fields the schema does not list");
      }
      return text;
    };
}

/** An answer that does not match its response schema: a bug in the route, answered 500. */
export class ResponseCheckError extends Error {
  constructor(method: string, url: string, reason: string, options?: ErrorOptions) {
    super(`response of ${method} ${url} does not match its schema: ${reason}`, options);
    this.name = "ResponseCheckError";
  }
}

// The error body, the validation message format and the error handler are the same for every
// API of the product: they live in the shared library.
export { errorResponseSchema, formatValidationErrors, handleError } from "@hdp/shared";

/** A resource the request names (a ticker, a device) does not exist: answered 404. */
export class NotFoundError extends Error {
  readonly statusCode = 404;

  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** A request whose parameters are each valid but do not fit together: answered 400. */
export class BadRequestError extends Error {
  readonly statusCode = 400;

  constructor(parameter: string, reason: string) {
    super(`querystring.${parameter}: ${reason}`);
    this.name = "BadRequestError";
  }
}

import { describe, expect, it } from "vitest";
import type { FastifySchemaValidationError } from "fastify";
import { formatValidationErrors } from "./errors.js";

const failure = (instancePath: string, message: string): FastifySchemaValidationError => ({
  keyword: "custom",
  instancePath,
  schemaPath: "#",
  params: {},
  message,
});

describe("formatValidationErrors", () => {
  it("names each failing field as a dotted path", () => {
    const error = formatValidationErrors(
      [
        failure("/limit", "must be a whole number from 1 to 100"),
        failure("/articles/0/title", "is required"),
      ],
      "querystring",
    );
    expect(error.message).toBe(
      "querystring.limit: must be a whole number from 1 to 100; querystring.articles.0.title: is required",
    );
  });

  it("names a field that breaks several rules once, with the first", () => {
    const error = formatValidationErrors(
      [failure("/limit", "Too big: expected int to be <=9007199254740991"), failure("/limit", "Too big")],
      "querystring",
    );
    expect(error.message).toBe("querystring.limit: Too big: expected int to be <=9007199254740991");
  });
});

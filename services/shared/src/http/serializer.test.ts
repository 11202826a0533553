import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createResponseSerializerCompiler, ResponseCheckError } from "./serializer.js";

const schema = z.object({ ticker: z.string(), price: z.number() });
const route = { schema, method: "GET", url: "/v1/price" };

describe("createResponseSerializerCompiler", () => {
  it("writes the value as JSON, unchecked by default", () => {
    const serialize = createResponseSerializerCompiler()(route);
    expect(serialize({ ticker: "AAPL", price: 170.5 })).toBe('{"ticker":"AAPL","price":170.5}');
    expect(serialize({ ticker: "AAPL", price: "170.5" })).toBe('{"ticker":"AAPL","price":"170.5"}');
  });

  it("with checkResponses, refuses an answer that does not match its schema, naming the route and field", () => {
    const serialize = createResponseSerializerCompiler({ checkResponses: true })(route);
    expect(serialize({ ticker: "AAPL", price: 170.5 })).toBe('{"ticker":"AAPL","price":170.5}');
    expect(() => serialize({ ticker: "AAPL", price: "170.5" })).toThrow(ResponseCheckError);
    expect(() => serialize({ ticker: "AAPL", price: "170.5" })).toThrow(/GET \/v1\/price.*price/s);
  });

  it("with checkResponses, refuses a field the schema does not list (production would send it)", () => {
    const serialize = createResponseSerializerCompiler({ checkResponses: true })(route);
    expect(() => serialize({ ticker: "AAPL", price: 170.5, internal: "x" })).toThrow(/does not list/);
  });
});

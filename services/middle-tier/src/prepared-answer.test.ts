import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptsGzip, matchesEtag, PreparedAnswer } from "./prepared-answer.js";

describe("PreparedAnswer", () => {
  it("keeps the bytes, a weak tag that changes with them, and their gzip encoding", () => {
    const answer = new PreparedAnswer('{"ticker":"AAPL"}');
    expect(answer.body.toString()).toBe('{"ticker":"AAPL"}');
    expect(answer.etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(new PreparedAnswer('{"ticker":"AAPL"}').etag).toBe(answer.etag);
    expect(new PreparedAnswer('{"ticker":"MSFT"}').etag).not.toBe(answer.etag);
    expect(gunzipSync(answer.gzipped).equals(answer.body)).toBe(true);
    expect(answer.gzipped).toBe(answer.gzipped);
  });
});

describe("matchesEtag", () => {
  const etag = 'W/"abc"';
  it.each([
    [undefined, false],
    ['W/"abc"', true],
    ['"abc"', true],
    ['"x", W/"abc"', true],
    ["*", true],
    ['"abd"', false],
  ])("If-None-Match %s: %s", (header, expected) => {
    expect(matchesEtag(header, etag)).toBe(expected);
  });
});

describe("acceptsGzip", () => {
  it.each([
    [undefined, false],
    ["gzip", true],
    ["gzip, deflate, br, zstd", true],
    ["br;q=1.0, GZIP;q=0.5", true],
    ["identity", false],
    ["gzip;q=0", false],
    ["*", true],
    ["gzip;q=0, *", false],
  ])("Accept-Encoding %s: %s", (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { validBar } from "../../../../test/support/bars.js";
import { decodeMessage } from "./codec.js";
import { DEAD_LETTER_REASONS } from "./dead-letter.js";
import { TOPICS } from "./topics.js";

const NOW = Date.parse("2024-03-04T15:00:00Z");
const json = (value: unknown) => JSON.stringify(value);

describe("decodeMessage", () => {
  it("gives the value of a message that fits its topic", () => {
    expect(decodeMessage(TOPICS.bars, json(validBar()), NOW)).toEqual({ ok: true, value: validBar() });
  });

  it.each<[string, string | null, string, RegExp]>([
    ["a tombstone", null, "undecodable", /value is empty/],
    ["text that is not JSON", "{ticker: AAPL", "undecodable", /not JSON/],
    ["a missing field", json({ ...validBar(), volume: undefined }), "schema", /volume/],
    ["an extra field", json({ ...validBar(), vwap: 1 }), "schema", /vwap/],
    ["a negative price", json(validBar({ low: -1 })), "schema", /low: must be a positive price/],
    ["a malformed ticker", json(validBar({ ticker: "aapl!" })), "schema", /ticker:/],
    [
      "high below low",
      json(validBar({ high: 170, low: 175, open: 172, close: 172 })),
      "sanity",
      /high is below low/,
    ],
    [
      "a start inside a minute",
      json(validBar({ start: "2024-03-04T14:30:30.000Z" })),
      "sanity",
      /whole minute/,
    ],
    [
      "a start an hour ahead",
      json(validBar({ start: "2024-03-04T16:00:00.000Z" })),
      "future_instant",
      /in the future/,
    ],
  ])("refuses %s as %s, with the reason", (_case, raw, category, reason) => {
    const decoded = decodeMessage(TOPICS.bars, raw, NOW);
    expect(decoded).toMatchObject({ ok: false, category });
    expect(!decoded.ok && decoded.reason).toMatch(reason);
    expect(DEAD_LETTER_REASONS).toContain(category);
  });
});

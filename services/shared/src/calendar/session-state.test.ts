import { describe, expect, it } from "vitest";
import { marketSessionAt } from "./session-state.js";

// Instants in UTC; New York is UTC-5 in winter (EST), UTC-4 in summer (EDT).
describe("marketSessionAt", () => {
  it.each([
    {
      at: "2024-03-05T15:00:00.000Z",
      case: "a regular Tuesday at 10:00, half an hour into the session",
      open: true,
      elapsed: 1_800,
      current: ["2024-03-05T14:30:00.000Z", "2024-03-05T21:00:00.000Z"],
      previous: "2024-03-04T21:00:00.000Z",
      next: "2024-03-06T14:30:00.000Z",
    },
    {
      at: "2024-03-05T14:30:00.000Z",
      case: "the open itself (inclusive)",
      open: true,
      elapsed: 0,
      current: ["2024-03-05T14:30:00.000Z", "2024-03-05T21:00:00.000Z"],
      previous: "2024-03-04T21:00:00.000Z",
      next: "2024-03-06T14:30:00.000Z",
    },
    {
      at: "2024-03-05T14:29:59.000Z",
      case: "a second before the open",
      open: false,
      elapsed: 0,
      current: undefined,
      previous: "2024-03-04T21:00:00.000Z",
      next: "2024-03-05T14:30:00.000Z",
    },
    {
      at: "2024-03-05T21:00:00.000Z",
      case: "the close itself (exclusive)",
      open: false,
      elapsed: 0,
      current: undefined,
      previous: "2024-03-05T21:00:00.000Z",
      next: "2024-03-06T14:30:00.000Z",
    },
    {
      at: "2024-03-06T01:00:00.000Z",
      case: "20:00 after the close, the UTC date already the next day",
      open: false,
      elapsed: 0,
      current: undefined,
      previous: "2024-03-05T21:00:00.000Z",
      next: "2024-03-06T14:30:00.000Z",
    },
    {
      at: "2024-03-09T16:00:00.000Z",
      case: "a Saturday",
      open: false,
      elapsed: 0,
      current: undefined,
      previous: "2024-03-08T21:00:00.000Z",
      next: "2024-03-11T13:30:00.000Z",
    },
    {
      at: "2024-03-29T15:00:00.000Z",
      case: "Good Friday, a holiday before a weekend",
      open: false,
      elapsed: 0,
      current: undefined,
      previous: "2024-03-28T20:00:00.000Z",
      next: "2024-04-01T13:30:00.000Z",
    },
    {
      at: "2024-11-29T17:59:00.000Z",
      case: "12:59 on the half day after Thanksgiving",
      open: true,
      elapsed: 12_540,
      current: ["2024-11-29T14:30:00.000Z", "2024-11-29T18:00:00.000Z"],
      previous: "2024-11-27T21:00:00.000Z",
      next: "2024-12-02T14:30:00.000Z",
    },
    {
      at: "2024-11-29T18:00:00.000Z",
      case: "13:00 on that half day: closed",
      open: false,
      elapsed: 0,
      current: undefined,
      previous: "2024-11-29T18:00:00.000Z",
      next: "2024-12-02T14:30:00.000Z",
    },
  ])("$case: open $open", ({ at, open, elapsed, current, previous, next }) => {
    const state = marketSessionAt(new Date(at));
    expect(state.open).toBe(open);
    expect(state.elapsedSeconds).toBe(elapsed);
    expect(state.current && [state.current.open.toISOString(), state.current.close.toISOString()]).toEqual(
      current,
    );
    expect(state.previous.close.toISOString()).toBe(previous);
    expect(state.next.open.toISOString()).toBe(next);
  });

  it("counts fractions of a second into the session", () => {
    expect(marketSessionAt(new Date("2024-03-05T14:30:01.500Z")).elapsedSeconds).toBe(1.5);
  });
});

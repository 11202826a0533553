import { describe, expect, it } from "vitest";
import { marketSessionAt } from "@hdp/shared";
import { behindSeconds, freshnessOf, worstFreshness } from "./freshness.js";

const at = (iso: string) => new Date(iso);

describe("behindSeconds", () => {
  it.each([
    // Tuesday 2024-03-05: session 14:30–21:00 UTC.
    ["2024-03-05T15:00:30Z", "2024-03-05T15:00:00Z", 30, "mid-session, the last minute's bar stored"],
    ["2024-03-05T15:00:30Z", "2024-03-05T14:57:00Z", 210, "mid-session, three bars missing"],
    ["2024-03-05T14:31:30Z", "2024-03-04T21:00:00Z", 90, "90 s into the session, yesterday's bars only"],
    ["2024-03-05T14:40:00Z", "2024-03-04T21:00:00Z", 600, "ten minutes into the session without a bar"],
    ["2024-03-05T23:00:00Z", "2024-03-05T21:00:00Z", 0, "after the close, the session complete"],
    ["2024-03-05T23:00:00Z", "2024-03-05T20:55:00Z", 300, "after the close, its last five bars missing"],
    ["2024-03-05T23:00:00Z", "2024-03-04T21:00:00Z", 23_400, "after the close, none of the day's bars"],
    ["2024-03-05T12:00:00Z", "2024-03-04T21:00:00Z", 0, "before the open, yesterday complete"],
    ["2024-03-09T16:00:00Z", "2024-03-08T21:00:00Z", 0, "on Saturday, Friday complete"],
    ["2024-03-29T15:00:00Z", "2024-03-28T19:58:00Z", 120, "on Good Friday, Thursday two bars short"],
    ["2024-11-29T19:00:00Z", "2024-11-29T18:00:00Z", 0, "after a half day's 13:00 close, complete"],
  ])("at %s with the last bar ending %s: %d s (%s)", (now, lastBarEnd, expected) => {
    expect(behindSeconds(at(lastBarEnd), marketSessionAt(at(now)), at(now))).toBe(expected);
  });

  it("is never negative, even for a bar ending after now", () => {
    const now = at("2024-03-05T15:00:00Z");
    expect(behindSeconds(at("2024-03-05T15:01:00Z"), marketSessionAt(now), now)).toBe(0);
  });
});

describe("freshnessOf", () => {
  it.each([
    [0, "fresh"],
    [120, "fresh"],
    [120.5, "late"],
    [300, "late"],
    [301, "stale"],
  ] as const)("%d s behind is %s", (behind, expected) => {
    expect(freshnessOf(behind)).toBe(expected);
  });
});

describe("worstFreshness", () => {
  it("is the worst ticker's", () => {
    expect(worstFreshness(["fresh", "late", "fresh"])).toBe("late");
    expect(worstFreshness(["fresh", "stale", "late"])).toBe("stale");
    expect(worstFreshness(["fresh"])).toBe("fresh");
  });

  it("is stale when no ticker has bars", () => {
    expect(worstFreshness([])).toBe("stale");
  });
});

import { describe, expect, it } from "vitest";
import { PublishedGuard } from "./published-guard.js";

const bar = (start: string) => ({ start });

describe("PublishedGuard", () => {
  it("keeps bars after the last published minute of the same ticker only", () => {
    const guard = new PublishedGuard();
    guard.recordBar("AAPL", "2024-03-05T15:00:00.000Z");
    const bars = [
      bar("2024-03-05T14:59:00.000Z"),
      bar("2024-03-05T15:00:00.000Z"),
      bar("2024-03-05T15:01:00.000Z"),
    ];
    expect(guard.newBars("AAPL", bars)).toEqual([bar("2024-03-05T15:01:00.000Z")]);
    expect(guard.newBars("MSFT", bars)).toEqual(bars);
  });

  it("never moves the mark backwards", () => {
    const guard = new PublishedGuard();
    guard.recordBar("AAPL", "2024-03-05T15:00:00.000Z");
    guard.recordBar("AAPL", "2024-03-05T14:00:00.000Z");
    expect(guard.newBars("AAPL", [bar("2024-03-05T14:30:00.000Z")])).toEqual([]);
  });

  it("remembers article ids up to its limit, forgetting the oldest", () => {
    const guard = new PublishedGuard(2);
    for (const id of ["a", "b", "c"]) guard.recordArticle(id);
    expect(guard.newArticles([{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }])).toEqual([
      { id: "a" },
      { id: "d" },
    ]);
  });
});

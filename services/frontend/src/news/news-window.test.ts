import { describe, expect, it } from "vitest";
import { isInNewsWindow, newsWindow } from "./news-window.js";

describe("newsWindow", () => {
  it("covers three New York calendar days ending with the chosen one", () => {
    expect(newsWindow("2024-07-17")).toEqual({
      from: "2024-07-15T04:00:00.000Z",
      to: "2024-07-18T04:00:00.000Z",
    });
  });

  it("follows the clock change inside the window", () => {
    expect(newsWindow("2024-03-11")).toEqual({
      from: "2024-03-09T05:00:00.000Z",
      to: "2024-03-12T04:00:00.000Z",
    });
  });
});

describe("isInNewsWindow", () => {
  it("accepts an article from New York midnight two days before up to the end of the day", () => {
    expect(isInNewsWindow("2024-07-17", "2024-07-15T04:00:00Z")).toBe(true);
    expect(isInNewsWindow("2024-07-17", "2024-07-18T03:59:59Z")).toBe(true);
  });

  it("rejects an article from before the window or from the next New York day", () => {
    expect(isInNewsWindow("2024-07-17", "2024-07-15T03:59:59Z")).toBe(false);
    expect(isInNewsWindow("2024-07-17", "2024-07-18T04:00:00Z")).toBe(false);
  });
});

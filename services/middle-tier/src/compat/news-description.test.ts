import { describe, expect, it } from "vitest";
import { shortDescription } from "./news-description.js";

describe("shortDescription", () => {
  it.each([
    ["a short text ending in a full stop", "Shares rose.", "Shares rose."],
    ["256 characters", "y".repeat(256), "y".repeat(256)],
    ["257 characters", "y".repeat(257), `${"y".repeat(250)}...`],
    ["a cut ending in a full stop", `${"y".repeat(249)}.${"z".repeat(20)}`, `${"y".repeat(249)}...`],
  ])("keeps %s as the original API shows it", (_case, description, shown) => {
    expect(shortDescription(description)).toBe(shown);
    expect(shortDescription(description)).not.toContain("....");
  });
});

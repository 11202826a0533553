import { describe, expect, it } from "vitest";
import { sentimentBadge } from "./sentiment-style.js";

describe("sentimentBadge", () => {
  it.each([
    ["negative", -0.62, "sentiment sentiment--negative", "negative -0.62"],
    ["neutral", 0, "sentiment sentiment--neutral", "neutral +0.00"],
    ["positive", 0.4567, "sentiment sentiment--positive", "positive +0.46"],
  ] as const)("gives a %s label its colour class and signed score", (label, score, className, text) => {
    const badge = sentimentBadge({ label, score, model: "vader" });
    expect(badge.className).toBe(className);
    expect(badge.text).toBe(text);
  });

  it("names label, score and model in the accessible description", () => {
    expect(sentimentBadge({ label: "positive", score: 0.5, model: "vader" }).description).toBe(
      "Sentiment positive, score +0.50 (vader)",
    );
  });

  it("shows an article that is not scored yet as unscored", () => {
    expect(sentimentBadge(null)).toEqual({
      className: "sentiment sentiment--unscored",
      text: "not scored",
      description: "Not scored yet",
    });
  });
});

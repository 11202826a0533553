import { describe, expect, it } from "vitest";
import { articleText, scoreArticles } from "./scoring.js";
import { createFakeModel } from "./test-support.js";

describe("articleText", () => {
  it("joins title and description with '. '", () => {
    expect(articleText({ id: "1", title: "Acme beats", description: "Shares rise" })).toBe(
      "Acme beats. Shares rise",
    );
  });

  it.each([undefined, null, "", "   "])("is the title alone when the description is %j", (description) => {
    expect(articleText({ id: "1", title: "Acme beats", description })).toBe("Acme beats");
  });

  it("adds only a space when the title already ends a sentence", () => {
    expect(articleText({ id: "1", title: "Acme soars!", description: "Record day" })).toBe(
      "Acme soars! Record day",
    );
  });
});

describe("scoreArticles", () => {
  it("answers one result per article, in order, labelled from its score", async () => {
    const model = createFakeModel({ scores: [0.6, -0.3, 0] });
    const results = await scoreArticles(model, [
      { id: "a", title: "one" },
      { id: "b", title: "two" },
      { id: "c", title: "three" },
    ]);
    expect(results).toEqual([
      { id: "a", score: 0.6, label: "positive", model: "fake@1" },
      { id: "b", score: -0.3, label: "negative", model: "fake@1" },
      { id: "c", score: 0, label: "neutral", model: "fake@1" },
    ]);
  });

  it("scores the whole batch in one model call", async () => {
    const model = createFakeModel();
    await scoreArticles(model, [
      { id: "a", title: "one" },
      { id: "b", title: "two", description: "more" },
    ]);
    expect(model.batches).toEqual([["one", "two. more"]]);
  });

  it("clamps scores a model returns outside [-1, 1]", async () => {
    const model = createFakeModel({ scores: [1.0000001, -1.2] });
    const results = await scoreArticles(model, [
      { id: "a", title: "one" },
      { id: "b", title: "two" },
    ]);
    expect(results.map((r) => r.score)).toEqual([1, -1]);
  });

  it("fails when the model returns a different number of scores", async () => {
    const model = createFakeModel();
    model.score = async () => [0.1];
    await expect(
      scoreArticles(model, [
        { id: "a", title: "one" },
        { id: "b", title: "two" },
      ]),
    ).rejects.toThrow("returned 1 scores for 2 texts");
  });
});

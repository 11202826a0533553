import { labelForScore, type SentimentLabel } from "@hdp/shared";
import { describe, expect, it } from "vitest";
import { createSentimentModel } from "./create-model.js";

const plain = createSentimentModel("vader");
const finance = createSentimentModel("vader-finance");

async function labelsOf(headline: string): Promise<{ plain: SentimentLabel; finance: SentimentLabel }> {
  const [[plainScore], [financeScore]] = await Promise.all([
    plain.score([headline]),
    finance.score([headline]),
  ]);
  return { plain: labelForScore(plainScore ?? NaN), finance: labelForScore(financeScore ?? NaN) };
}

async function financeScore(text: string): Promise<number> {
  const [score] = await finance.score([text]);
  return score ?? NaN;
}

describe("vader-finance against plain VADER", () => {
  // [headline, plain VADER's (wrong) label, vader-finance's label]
  it.each<[string, SentimentLabel, SentimentLabel]>([
    ["Regulators open probe into Acme accounting", "neutral", "negative"],
    ["Acme announces 10,000 layoffs", "neutral", "negative"],
    ["Acme recalls 2 million vehicles", "neutral", "negative"],
    ["Analyst upgrades Acme to buy", "neutral", "positive"],
    ["Acme downgraded to underperform at Goldman", "neutral", "negative"],
    ["Acme raises full-year guidance", "neutral", "positive"],
    ["Acme files for Chapter 11 bankruptcy", "neutral", "negative"],
    ["Acme sued by shareholders over accounting", "neutral", "negative"],
    ["Acme shares plunge after profit warning", "positive", "negative"],
    ["Acme shares tumble as sales slump", "positive", "negative"],
    ["Acme slashes dividend as profits slump", "positive", "negative"],
    ["Acme shares rally after beating estimates", "negative", "positive"],
    ["Acme gross margin expands to record high", "negative", "positive"],
    ["Acme narrows quarterly loss", "negative", "positive"],
    ["Judge dismisses lawsuit against Acme", "negative", "positive"],
    ["Regulator closes probe into Acme", "neutral", "positive"],
    ["Acme misses interest payment", "positive", "negative"],
    ["Acme faces fine over emissions", "positive", "negative"],
    ["Court finds Acme infringed patents", "neutral", "negative"],
    ["Acme delays launch of new phone", "neutral", "negative"],
    ["Acme's new console sold out in minutes", "neutral", "positive"],
    ["Acme sets up new credit facility", "positive", "neutral"],
    ["Acme rating affirmed, outlook stable", "positive", "neutral"],
    ["Acme agrees to buy Beta", "positive", "neutral"],
  ])("%j: plain VADER says %s, vader-finance says %s", async (headline, plainLabel, financeLabel) => {
    expect(await labelsOf(headline)).toEqual({ plain: plainLabel, finance: financeLabel });
  });

  it.each<[string, SentimentLabel]>([
    ["Acme misses quarterly estimates, cuts guidance", "negative"],
    ["Acme beats estimates as record revenue lifts shares", "positive"],
    ["Acme tops expectations, announces $5 billion buyback", "positive"],
    ["Shareholders accuse Acme of fraud", "negative"],
    ["The new phone is great and customers love it", "positive"],
    ["The product is terrible and customers hate it", "negative"],
    ["Acme will hold its annual meeting on Tuesday", "neutral"],
  ])("%j: both say %s", async (headline, label) => {
    expect(await labelsOf(headline)).toEqual({ plain: label, finance: label });
  });

  it("scores text without finance terms exactly as plain VADER does", async () => {
    const texts = ["The new phone is great and customers love it", "I am not happy about this at all!!"];
    expect(await finance.score(texts)).toEqual(await plain.score(texts));
  });
});

describe("vader-finance keeps VADER's rules for finance terms", () => {
  it("flips a negated phrase, as VADER flips a negated word", async () => {
    expect(await financeScore("Acme missed estimates")).toBeLessThan(-0.05);
    expect(await financeScore("Acme did not miss estimates")).toBeGreaterThan(0.05);
  });

  it("flips a negated reversal: a lawsuit not dismissed is bad news", async () => {
    expect(await financeScore("Judge dismisses the lawsuit against Acme")).toBeGreaterThan(0.05);
    expect(await financeScore("Judge did not dismiss the lawsuit against Acme")).toBeLessThan(-0.05);
  });

  it("strengthens a finance word after a booster", async () => {
    expect(await financeScore("Acme announces very large layoffs")).toBeLessThan(
      await financeScore("Acme announces large layoffs"),
    );
  });

  it("strengthens a finance word in ALL CAPS", async () => {
    expect(await financeScore("Acme LAYOFFS hit staff")).toBeLessThan(
      await financeScore("Acme layoffs hit staff"),
    );
  });

  it("weighs the clause after 'but' more", async () => {
    expect(await financeScore("Acme beats estimates but cuts guidance")).toBeLessThan(-0.05);
  });
});

describe("createSentimentModel", () => {
  it.each([
    ["vader", "vader@1"],
    ["vader-finance", "vader-finance@2"],
  ] as const)("builds %s, named with its version", async (name, versioned) => {
    const model = createSentimentModel(name);
    expect(model.name).toBe(versioned);
    await model.load();
    expect(model.isReady()).toBe(true);
    await model.close();
  });

  it("scores a batch in order, each within [-1, 1]", async () => {
    const scores = await finance.score(["Acme soars", "Acme plunges", "Acme holds meeting"]);
    expect(scores.map(labelForScore)).toEqual(["positive", "negative", "neutral"]);
    for (const score of scores) expect(Math.abs(score)).toBeLessThanOrEqual(1);
  });
});

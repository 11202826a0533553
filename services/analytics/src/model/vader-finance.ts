import { FINANCE_LEXICON, type FinanceTerm } from "./finance-lexicon.js";
import type { SentimentModel } from "./sentiment-model.js";
import { createTermRewriter } from "./term-rewriter.js";
import { createLexiconModel, vaderCompound } from "./vader.js";

/**
 * VADER extended with a finance lexicon. Each text is first rewritten so that
 * every finance word or phrase becomes a stand-in word VADER already rates at
 * the term's valence (see `stand-ins.ts` and `term-rewriter.ts`), then scored
 * by the unmodified library. Bump the version when the lexicon changes scores.
 */
export function createVaderFinanceModel(terms: readonly FinanceTerm[] = FINANCE_LEXICON): SentimentModel {
  const rewriter = createTermRewriter(terms);
  return createLexiconModel("vader-finance@2", (text) => vaderCompound(rewriter.rewrite(text).text));
}

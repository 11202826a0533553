import type { SentimentModel, SentimentModelName } from "./sentiment-model.js";
import { createVaderModel } from "./vader.js";
import { createVaderFinanceModel } from "./vader-finance.js";

/** Builds the named sentiment model; call `load()` before scoring with models that need it. */
export function createSentimentModel(name: SentimentModelName): SentimentModel {
  switch (name) {
    case "vader-finance":
      return createVaderFinanceModel();
    case "vader":
      return createVaderModel();
    default: {
      const unknown: never = name;
      throw new Error(`unknown sentiment model: ${String(unknown)}`);
    }
  }
}

export { buildApp, type AnalyticsApp, type AppOptions } from "./app.js";
export { loadConfig, analyticsEnvSchema, type AnalyticsConfig } from "./config.js";
export { createSentimentModel } from "./model/create-model.js";
export {
  SENTIMENT_MODEL_NAMES,
  type SentimentModel,
  type SentimentModelName,
} from "./model/sentiment-model.js";
export { FINANCE_LEXICON, type FinanceTerm } from "./model/finance-lexicon.js";
export { articleText, scoreArticles } from "./scoring.js";
export {
  EVAL_PARTS,
  EvalSetError,
  renderSentimentEval,
  runSentimentEval,
  type EvalPart,
  type PartEvaluation,
} from "./eval/index.js";

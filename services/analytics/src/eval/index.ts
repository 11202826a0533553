export {
  EVAL_CATEGORIES,
  EVAL_PARTS,
  EVAL_SET_DIR,
  EvalSetError,
  loadEvalSet,
  parseEvalPart,
  type EvalCategory,
  type EvalItem,
  type EvalPart,
  type EvalSet,
} from "./eval-set.js";
export {
  classificationMetrics,
  confusionMatrix,
  type ClassificationMetrics,
} from "./classification-metrics.js";
export {
  evaluatePart,
  runSentimentEval,
  type PartEvaluation,
  type SentimentEvalOptions,
} from "./evaluate.js";
export { renderSentimentEval } from "./report.js";

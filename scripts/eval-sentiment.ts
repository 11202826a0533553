// Accuracy and confusion matrix of every sentiment model on the labelled headlines of
// services/analytics/eval/ (its README has the labelling guideline).
// Usage: npm run eval:sentiment -- --help
import {
  EVAL_PARTS,
  EvalSetError,
  renderSentimentEval,
  runSentimentEval,
  SENTIMENT_MODEL_NAMES,
  type EvalPart,
  type SentimentModelName,
} from "@hdp/analytics";
import { parseCommandLine, usageError } from "./lib/command-line.js";

const USAGE = `usage: npm run eval:sentiment -- [--model <name> ...] [--part tuning|held-out|all] [--json] [--misses]

Scores the evaluation set's headlines with each sentiment model, labels them as the
analytics service does, and prints per model and part: accuracy, macro-F1, the confusion
matrix (rows truth, columns predicted), each label's precision and recall, and each
category's accuracy; then a summary.

  --model <name>   ${SENTIMENT_MODEL_NAMES.join(" or ")}; repeat it for several (default: every model)
  --part <part>    tuning, held-out or all (default: all)
  --json           print the figures as JSON instead
  --misses         also list the tuning part's wrong answers (never the held-out part's)
  -h, --help       print this help`;

const command = { name: "eval:sentiment", usage: USAGE };
const values = parseCommandLine({
  ...command,
  options: {
    model: { type: "string", multiple: true },
    part: { type: "string", default: "all" },
    json: { type: "boolean", default: false },
    misses: { type: "boolean", default: false },
  },
});
const isModelName = (name: string): name is SentimentModelName =>
  (SENTIMENT_MODEL_NAMES as readonly string[]).includes(name);
const models = values.model ?? [...SENTIMENT_MODEL_NAMES];
const unknown = models.find((name) => !isModelName(name));
if (unknown !== undefined)
  usageError(command, `--model: "${unknown}" is not one of ${SENTIMENT_MODEL_NAMES.join(", ")}`);
const isPart = (part: string): part is EvalPart => (EVAL_PARTS as readonly string[]).includes(part);
if (values.part !== "all" && !isPart(values.part))
  usageError(command, `--part: tuning, held-out or all, got "${values.part}"`);
const parts = isPart(values.part) ? [values.part] : EVAL_PARTS;

try {
  const evaluations = await runSentimentEval({ models: models.filter(isModelName), parts });
  if (values.json) {
    const shown = values.misses ? evaluations : evaluations.map(({ misses: _misses, ...rest }) => rest);
    console.log(JSON.stringify({ evaluations: shown }, null, 2));
  } else {
    console.log(renderSentimentEval(evaluations, { misses: values.misses }));
  }
} catch (error) {
  if (!(error instanceof EvalSetError)) throw error;
  console.error(`eval:sentiment: ${error.message}`);
  process.exit(1);
}

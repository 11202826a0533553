import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SENTIMENT_LABELS } from "@hdp/shared";
import { SENTIMENT_MODEL_NAMES, createSentimentModel, type PartEvaluation } from "@hdp/analytics";
import { runTool } from "../infra/plan/run-tool.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const MODEL_VERSIONS = SENTIMENT_MODEL_NAMES.map((name) => createSentimentModel(name).name);

/** Runs `npm run eval:sentiment -- <args>` as a user would (the script it names, with tsx). */
const evalSentiment = (args: string[]) =>
  runTool(process.execPath, ["--import", "tsx", "scripts/eval-sentiment.ts", ...args], { cwd: ROOT });

/** The report's blocks: each starts at an unindented line after a blank one (a model on a part, the summary). */
const blocksOf = (stdout: string) => stdout.split(/\n\n(?=\S)/);

describe("npm run eval:sentiment", () => {
  it("prints accuracy and a confusion matrix for every model on both parts", async () => {
    const { code, stdout, stderr } = await evalSentiment([]);
    expect(code, stderr).toBe(0);
    for (const model of MODEL_VERSIONS) {
      for (const part of ["tuning", "held-out"]) {
        const block = blocksOf(stdout).find((b) => b.startsWith(`${model} on the ${part} part: `));
        expect(block, `${model} ${part}`).toBeDefined();
        expect(block).toMatch(/\n {2}accuracy \d\.\d{3} \(\d+ of \d+ right\), macro-F1 \d\.\d{3}\n/);
        expect(block).toContain("  truth \\ predicted  negative  neutral  positive");
        for (const label of SENTIMENT_LABELS)
          expect(block).toMatch(new RegExp(`\\n {2}${label} +\\d+ +\\d+ +\\d+\\n`));
      }
      expect(stdout).toMatch(
        new RegExp(
          `\\n {2}${model.replace(".", "\\.")} +\\d\\.\\d{3} \\(n=\\d+\\) +\\d\\.\\d{3} \\(n=\\d+\\)`,
        ),
      );
    }
    expect(stdout).not.toContain("wrong answers");
  });

  it("prints the figures as JSON with --json, for one model and part", async () => {
    const { code, stdout, stderr } = await evalSentiment([
      "--json",
      "--model",
      "vader",
      "--part",
      "held-out",
    ]);
    expect(code, stderr).toBe(0);
    const { evaluations } = JSON.parse(stdout) as { evaluations: PartEvaluation[] };
    expect(evaluations).toHaveLength(1);
    const [evaluation] = evaluations;
    expect(evaluation).toMatchObject({ model: "vader@1", part: "held-out" });
    expect(evaluation!.correct / evaluation!.n).toBeCloseTo(evaluation!.accuracy, 12);
    expect(evaluation!.matrix.flat().reduce((a, b) => a + b, 0)).toBe(evaluation!.n);
  });

  it("lists wrong answers with --misses for the tuning part only", async () => {
    const { code, stdout, stderr } = await evalSentiment(["--misses", "--model", "vader-finance"]);
    expect(code, stderr).toBe(0);
    const [tuning, heldOut] = blocksOf(stdout);
    expect(tuning).toMatch(/\n {2}wrong answers \(\d+\):\n {4}line \d+ \[\w+\] \w+ as \w+ \(-?\d\.\d{4}\): /);
    expect(heldOut).toMatch(/^vader-finance@2 on the held-out part/);
    expect(heldOut).not.toContain("wrong answers");
  });

  it.each([
    [["--model", "finbert"], /--model: "finbert" is not one of vader-finance, vader/],
    [["--part", "test"], /--part: tuning, held-out or all, got "test"/],
    [["--verbose"], /eval:sentiment: unknown option '--verbose'$/m],
  ])("refuses %j with a one-line reason, the usage and exit 2", async (args, reason) => {
    const { code, stdout, stderr } = await evalSentiment(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(reason);
    expect(stderr).toContain("usage: npm run eval:sentiment");
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SENTIMENT_LABELS } from "@hdp/shared";
import { afterEach, describe, expect, it } from "vitest";
import {
  EVAL_CATEGORIES,
  EVAL_PARTS,
  EVAL_PART_FILES,
  EvalSetError,
  headlineKey,
  loadEvalSet,
  parseEvalPart,
  type EvalItem,
} from "./eval-set.js";

const row = (headline: string, label = "neutral", category = "scheduling") =>
  JSON.stringify({ headline, label, category });

/** The problems `parseEvalPart` reports for `lines`, or [] when it accepts them. */
function problemsOf(...lines: string[]): readonly string[] {
  try {
    parseEvalPart(lines.join("\n"), "part.jsonl");
    return [];
  } catch (error) {
    if (!(error instanceof EvalSetError)) throw error;
    return error.problems;
  }
}

describe("parseEvalPart", () => {
  it("reads one item a line, with its line number; blank lines skipped", () => {
    const text = [
      row("Acme to report results on May 2"),
      "",
      row("Acme beats estimates", "positive", "earnings"),
    ];
    expect(parseEvalPart(text.join("\n") + "\n", "part.jsonl")).toEqual([
      { headline: "Acme to report results on May 2", label: "neutral", category: "scheduling", line: 1 },
      { headline: "Acme beats estimates", label: "positive", category: "earnings", line: 3 },
    ]);
  });

  it("names the file, line and field of a bad label", () => {
    const problems = problemsOf(row("Acme to report results on May 2"), row("Acme beats estimates", "good"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^part\.jsonl:2: label: Invalid option: expected one of "negative"\|"neutral"\|"positive"/,
    );
  });

  it("names the file, line and field of an unknown category", () => {
    expect(problemsOf(row("Acme beats estimates", "positive", "rumours"))).toEqual([
      expect.stringMatching(/^part\.jsonl:1: category: Invalid option: expected one of "guidance"\|/),
    ]);
  });

  it("refuses a missing field, naming it", () => {
    expect(problemsOf(JSON.stringify({ headline: "Acme beats estimates", label: "positive" }))).toEqual([
      expect.stringMatching(/^part\.jsonl:1: category: /),
    ]);
  });

  it("refuses a field the format does not have", () => {
    const extra = JSON.stringify({
      headline: "Acme beats estimates",
      label: "positive",
      category: "earnings",
      note: 1,
    });
    expect(problemsOf(extra)).toEqual([
      expect.stringMatching(/^part\.jsonl:1: \(row\): Unrecognized key: "note"/),
    ]);
  });

  it("refuses a headline too short to be news", () => {
    expect(problemsOf(row("Acme up"))).toEqual([
      expect.stringMatching(/^part\.jsonl:1: headline: Too small/),
    ]);
  });

  it("refuses a line that is not JSON", () => {
    expect(problemsOf(row("Acme to report results on May 2"), "{headline: Acme}")).toEqual([
      expect.stringMatching(/^part\.jsonl:2: not JSON \(/),
    ]);
  });

  it("reports every bad row at once", () => {
    expect(
      problemsOf("[]", row("Acme to report results on May 2"), row("Acme beats estimates", "up")),
    ).toEqual([expect.stringMatching(/^part\.jsonl:1: /), expect.stringMatching(/^part\.jsonl:3: label: /)]);
  });

  it("refuses a headline that stands twice, ignoring case, spacing and punctuation", () => {
    expect(
      problemsOf(
        row("Acme to report results on May 2"),
        row("Acme beats estimates", "positive", "earnings"),
        row("ACME to report results  on May 2."),
      ),
    ).toEqual(["part.jsonl:3: headline: the same headline as part.jsonl:1"]);
  });

  it("refuses a file with no headlines", () => {
    expect(problemsOf("", "")).toEqual(["part.jsonl: no headlines"]);
  });
});

describe("headlineKey", () => {
  it("keeps letters and digits, lower case, single spaces", () => {
    expect(headlineKey("  Acme's Q3: EPS $1.20 — beats!  ")).toBe("acme s q3 eps 1 20 beats");
  });
});

describe("loadEvalSet", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function setOf(tuning: string[], heldOut: string[]): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), "eval-set-"));
    await writeFile(join(dir, EVAL_PART_FILES.tuning), tuning.join("\n"));
    await writeFile(join(dir, EVAL_PART_FILES["held-out"]), heldOut.join("\n"));
    return dir;
  }

  it("reads both parts", async () => {
    const set = await loadEvalSet(
      await setOf([row("Acme to report results on May 2")], [row("Acme sets annual meeting date")]),
    );
    expect(set.tuning.map((i) => i.headline)).toEqual(["Acme to report results on May 2"]);
    expect(set["held-out"].map((i) => i.headline)).toEqual(["Acme sets annual meeting date"]);
  });

  it("refuses a headline that stands in both parts, naming both places", async () => {
    const where = await setOf(
      [row("Acme to report results on May 2"), row("Acme beats estimates", "positive", "earnings")],
      [row("Acme sets annual meeting date"), row("acme beats estimates!", "positive", "earnings")],
    );
    await expect(loadEvalSet(where)).rejects.toThrow(
      "headlines.held-out.jsonl:2: headline: the same headline as headlines.tuning.jsonl:2",
    );
  });

  it("names bad rows of both parts in one error", async () => {
    const where = await setOf(
      [row("Acme to report results on May 2", "happy")],
      [row("Acme sets annual meeting date", "neutral", "misc")],
    );
    const error = await loadEvalSet(where).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvalSetError);
    expect((error as EvalSetError).problems).toEqual([
      expect.stringMatching(/^headlines\.tuning\.jsonl:1: label: /),
      expect.stringMatching(/^headlines\.held-out\.jsonl:1: category: /),
    ]);
  });

  it("names a part whose file is missing", async () => {
    dir = await mkdtemp(join(tmpdir(), "eval-set-"));
    await writeFile(join(dir, EVAL_PART_FILES.tuning), row("Acme to report results on May 2"));
    await expect(loadEvalSet(dir)).rejects.toThrow("headlines.held-out.jsonl: cannot be read (ENOENT)");
  });
});

describe("the evaluation set in the repository", () => {
  const set = loadEvalSet();
  const share = (items: readonly EvalItem[], label: string) =>
    items.filter((i) => i.label === label).length / items.length;

  it("loads: every row valid, no headline twice in or across parts", async () => {
    await expect(set).resolves.toBeDefined();
  });

  it("has at least 200 tuning headlines and a held-out part of at least 60", async () => {
    const { tuning, "held-out": heldOut } = await set;
    expect(tuning.length).toBeGreaterThanOrEqual(200);
    expect(heldOut.length).toBeGreaterThanOrEqual(60);
  });

  it.each(EVAL_PARTS)("balances the labels in the %s part, a third each", async (part) => {
    const items = (await set)[part];
    for (const label of SENTIMENT_LABELS) {
      expect(share(items, label), label).toBeGreaterThanOrEqual(0.3);
      expect(share(items, label), label).toBeLessThanOrEqual(0.37);
    }
  });

  it.each(EVAL_PARTS)("covers every category in the %s part, each with more than one label", async (part) => {
    const items = (await set)[part];
    for (const category of EVAL_CATEGORIES) {
      const labels = new Set(items.filter((i) => i.category === category).map((i) => i.label));
      expect(labels.size, category).toBeGreaterThanOrEqual(2);
    }
  });
});

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { PipelineError, SENTIMENT_LABELS, type SentimentLabel } from "@hdp/shared";

/** What a headline's news is about; `eval/README.md` says what goes where. */
export const EVAL_CATEGORIES = [
  "guidance",
  "earnings",
  "ratings",
  "legal",
  "regulatory",
  "fines",
  "recalls",
  "debt",
  "deals",
  "approvals",
  "products",
  "scheduling",
] as const;
export type EvalCategory = (typeof EVAL_CATEGORIES)[number];

/** The two parts of the set: `tuning` may be looked at and tuned on, `held-out` never. */
export const EVAL_PARTS = ["tuning", "held-out"] as const;
export type EvalPart = (typeof EVAL_PARTS)[number];

/** Where the set lives: `services/analytics/eval/`. */
export const EVAL_SET_DIR = fileURLToPath(new URL("../../eval/", import.meta.url));

/** The file of each part, under `EVAL_SET_DIR`. */
export const EVAL_PART_FILES: { readonly [P in EvalPart]: string } = {
  tuning: "headlines.tuning.jsonl",
  "held-out": "headlines.held-out.jsonl",
};

/** One row of a part's JSON Lines file. */
export const evalRowSchema = z.strictObject({
  headline: z.string().trim().min(10).max(200),
  label: z.enum(SENTIMENT_LABELS),
  category: z.enum(EVAL_CATEGORIES),
});

/** A labelled headline and where it stands (1-based line of its file). */
export interface EvalItem {
  readonly headline: string;
  readonly label: SentimentLabel;
  readonly category: EvalCategory;
  readonly line: number;
}

/** Both parts of the evaluation set. */
export type EvalSet = { readonly [P in EvalPart]: readonly EvalItem[] };

/** The set's files are not as `eval/README.md` describes; never retriable. */
export class EvalSetError extends PipelineError {
  /** One line per bad row: `file:line: field: reason`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid sentiment evaluation set:\n  ${problems.join("\n  ")}`, { retriable: false });
    this.problems = problems;
  }
}

/**
 * The key two headlines share when they are the same but for case, spacing and
 * punctuation ("Acme beats estimates." and "ACME beats estimates").
 */
export function headlineKey(headline: string): string {
  return headline
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Parses one part's JSON Lines text; `file` names it in the problems. Blank
 * lines are skipped; every other line must be one row of `evalRowSchema`.
 *
 * @throws EvalSetError listing every bad row (file, line, field, reason) and
 *   every headline that stands twice in the part.
 */
export function parseEvalPart(text: string, file: string): EvalItem[] {
  const items: EvalItem[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push(`${file}:${line}: not JSON (${(error as Error).message})`);
      return;
    }
    const row = evalRowSchema.safeParse(value);
    if (!row.success) {
      for (const issue of row.error.issues) {
        problems.push(`${file}:${line}: ${issue.path.map(String).join(".") || "(row)"}: ${issue.message}`);
      }
      return;
    }
    items.push({ ...row.data, line });
  });
  if (items.length === 0 && problems.length === 0) problems.push(`${file}: no headlines`);
  problems.push(...duplicateProblems([{ file, items }]));
  if (problems.length > 0) throw new EvalSetError(problems);
  return items;
}

/** One line per headline that stands again after its first place, across all `parts`. */
function duplicateProblems(parts: readonly { file: string; items: readonly EvalItem[] }[]): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const { file, items } of parts) {
    for (const item of items) {
      const key = headlineKey(item.headline);
      const where = `${file}:${item.line}`;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, where);
      else problems.push(`${where}: headline: the same headline as ${earlier}`);
    }
  }
  return problems;
}

/** The text of one part's file; a file that cannot be read is a problem of the set. */
async function readPart(path: string, file: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new EvalSetError([`${file}: cannot be read (${(error as NodeJS.ErrnoException).code})`]);
  }
}

/**
 * Reads both parts from `dir` and checks that no headline of one stands in the
 * other (the held-out part must be news the tuning part has not seen).
 *
 * @throws EvalSetError naming every bad row of both parts, or every headline in both.
 */
export async function loadEvalSet(dir: string = EVAL_SET_DIR): Promise<EvalSet> {
  const problems: string[] = [];
  const parts: { part: EvalPart; file: string; items: EvalItem[] }[] = [];
  for (const part of EVAL_PARTS) {
    const file = EVAL_PART_FILES[part];
    try {
      parts.push({ part, file, items: parseEvalPart(await readPart(join(dir, file), file), file) });
    } catch (error) {
      if (!(error instanceof EvalSetError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length === 0) problems.push(...duplicateProblems(parts));
  if (problems.length > 0) throw new EvalSetError(problems);
  const itemsOf = (part: EvalPart) => parts.find((p) => p.part === part)?.items ?? [];
  return { tuning: itemsOf("tuning"), "held-out": itemsOf("held-out") };
}

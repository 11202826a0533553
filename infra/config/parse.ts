import type { z } from "zod";
import { checkRules, type Problem } from "./rules.js";
import { stackConfigSchema, type StackConfig } from "./schema.js";

/** The stack configuration is invalid: every problem, each naming its key. */
export class StackConfigError extends Error {
  readonly problems: readonly Problem[];

  constructor(stack: string, problems: readonly Problem[]) {
    super(
      `invalid configuration of stack "${stack}" (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  ${p.key}: ${p.reason}`).join("\n"),
    );
    this.name = "StackConfigError";
    this.problems = problems;
  }
}

function keyOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) =>
      typeof part === "number" ? `${key}[${part}]` : key ? `${key}.${String(part)}` : String(part),
    "",
  );
}

function schemaProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    key: keyOf(issue.path) || "(config)",
    reason: issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
  }));
}

/**
 * Parses the stack's settings (the project's config keys, as an object) and checks
 * the rules across keys. Throws {@link StackConfigError} listing every problem, before
 * any resource is registered.
 */
export function parseStackConfig(raw: unknown, stack: string): StackConfig {
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new StackConfigError(stack, schemaProblems(parsed.error));
  const problems = checkRules(parsed.data, stack);
  if (problems.length > 0) throw new StackConfigError(stack, problems);
  return parsed.data;
}

import { checkRules, type Problem } from "./rules.js";
import { parseOptions, schemaProblems } from "./schema-problems.js";
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

/**
 * Parses the stack's settings (the project's config keys, as an object) and checks
 * the rules across keys. Throws {@link StackConfigError} listing every problem, before
 * any resource is registered.
 */
export function parseStackConfig(raw: unknown, stack: string): StackConfig {
  const parsed = stackConfigSchema.safeParse(raw, parseOptions);
  if (!parsed.success) throw new StackConfigError(stack, schemaProblems(parsed.error));
  const problems = checkRules(parsed.data, stack);
  if (problems.length > 0) throw new StackConfigError(stack, problems);
  return parsed.data;
}

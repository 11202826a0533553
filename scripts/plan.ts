// Offline plan: runs the Pulumi program against a stack's config with the runtime mocked
// (no Pulumi CLI, no cloud, no credentials), prints what it would create, writes every
// node's bootstrap, the Kubernetes objects and the topology to out/plan/<stack>/, and
// validates user data (cloud-init schema) and scripts (shellcheck).
// Usage: npm run plan -- --help
import { StackConfigError } from "../infra/config/index.js";
import { MissingToolError } from "../infra/plan/write.js";
import { runPlan } from "../infra/plan/run.js";
import { StackNotFoundError } from "../infra/plan/stacks.js";
import { parseCommandLine, usageError } from "./lib/command-line.js";

const USAGE = `usage: npm run plan -- --stack <name> [--stack <name> ...] [--out <dir>] [--no-validate]

Runs the Pulumi program against Pulumi.<name>.yaml with the runtime mocked (no Pulumi CLI,
cloud or credentials), prints what the stack would create and writes it to <dir>/<name>/.

  --stack <name>   the stack to plan, from Pulumi.<name>.yaml; repeat it to plan several
  --out <dir>      where the plans go, one folder per stack (default: out/plan)
  --no-validate    skip the checks: cloud-init schema, shellcheck, object schemas and rules
  -h, --help       print this help`;

const command = { name: "plan", usage: USAGE };
const values = parseCommandLine({
  ...command,
  options: {
    stack: { type: "string", multiple: true },
    out: { type: "string", default: "out/plan" },
    "no-validate": { type: "boolean", default: false },
  },
});
if (!values.stack?.length) usageError(command, "name a stack with --stack <name>");

let failed = false;
for (const stack of values.stack) {
  try {
    const result = await runPlan({
      stack,
      projectDir: process.cwd(),
      outDir: values.out,
      validate: !values["no-validate"],
      log: (line) => console.log(line),
    });
    const bad = result.checks.filter((c) => !c.ok).length;
    console.log(bad === 0 ? `plan of ${stack}: ok` : `plan of ${stack}: ${bad} file(s) failed validation`);
    failed ||= bad > 0;
  } catch (error) {
    if (
      error instanceof StackNotFoundError ||
      error instanceof StackConfigError ||
      error instanceof MissingToolError
    ) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
process.exit(failed ? 1 : 0);

// Offline plan: runs the Pulumi program against a stack's config with the runtime mocked
// (no Pulumi CLI, no cloud, no credentials), prints what it would create, writes every
// node's bootstrap, the Kubernetes objects and the topology to out/plan/<stack>/, and
// validates user data (cloud-init schema) and scripts (shellcheck).
// Usage: npm run plan -- --stack dev [--out out/plan] [--no-validate]
import { parseArgs } from "node:util";
import { StackConfigError } from "../infra/config/index.js";
import { MissingToolError } from "../infra/plan/write.js";
import { runPlan } from "../infra/plan/run.js";

const { values } = parseArgs({
  options: {
    stack: { type: "string", multiple: true },
    out: { type: "string", default: "out/plan" },
    "no-validate": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help || !values.stack?.length) {
  console.log("usage: npm run plan -- --stack <name> [--stack <name> ...] [--out out/plan] [--no-validate]");
  process.exit(values.help ? 0 : 2);
}

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
    if (error instanceof StackConfigError || error instanceof MissingToolError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
process.exit(failed ? 1 : 0);

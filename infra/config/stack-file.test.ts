// What `pulumi config set` does to a stack file, and that the project's checks allow it:
// the CLI rewrites the file in its own YAML style, never Prettier's.
import { readdirSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import * as prettier from "prettier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument, stringify } from "yaml";
import { parseStackConfig } from "./parse.js";
import { PROJECT, readStackFile } from "./stack-file.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const STACK_FILES = readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

/** `pulumi config set --path workers.count 5`: the key as the stack file holds it. */
const KEY = [`${PROJECT}:workers`, "count"] as const;
const VALUE = 5;

/**
 * The two ways the Pulumi CLI rewrites a stack file when it sets a key, with Go's yaml.v3
 * encoder at a two-space indent: sequences indented under their key, no line folding,
 * quotes only where needed.
 */
const CLI_REWRITES: Record<string, (text: string) => string> = {
  // It edits the YAML tree: comments stay, flow collections too, written `{host: a, port: 1}`.
  "keeping comments": (text) => {
    const document = parseDocument(text);
    document.setIn(["config", ...KEY], VALUE);
    return document.toString({ indent: 2, indentSeq: true, lineWidth: 0, flowCollectionPadding: false });
  },
  // It encodes the settings afresh: comments go, keys sorted, every map and list in block style.
  "re-encoding": (text) => {
    const document = parse(text) as { config: Record<string, Record<string, unknown>> };
    document.config[KEY[0]]![KEY[1]] = VALUE;
    return stringify(document, {
      indent: 2,
      indentSeq: true,
      lineWidth: 0,
      collectionStyle: "block",
      sortMapEntries: true,
    });
  },
};

/** A folder laid out like the repository: its ignore file, and the rewritten file at the root. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "hdp-stack-file-"));
  await copyFile(join(ROOT, ".prettierignore"), join(dir, ".prettierignore"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const prettierIgnores = async (file: string) =>
  (await prettier.getFileInfo(join(dir, file), { ignorePath: join(dir, ".prettierignore") })).ignored;

describe("a stack file after pulumi config set", () => {
  it("is not in Prettier's style when the CLI keeps a flow map (why Prettier leaves the stack files alone)", async () => {
    const rewritten = CLI_REWRITES["keeping comments"]!(
      `config:\n  ${KEY[0]}: { ${KEY[1]}: 1 }\n  ${PROJECT}:dns: { web: a.example.net }\n`,
    );
    expect(rewritten).toContain(`${PROJECT}:dns: {web: a.example.net}`);
    expect(await prettier.check(rewritten, { parser: "yaml" })).toBe(false);
  });

  const cases = STACK_FILES.flatMap((file) =>
    Object.keys(CLI_REWRITES).map((style) => [file, style] as const),
  );

  it.each(cases)("%s rewritten by the CLI (%s) is left alone by Prettier and ESLint", async (file, style) => {
    await writeFile(join(dir, file), CLI_REWRITES[style]!(await readFile(join(ROOT, file), "utf8")));
    expect(await prettierIgnores(file)).toBe(true);
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: join(ROOT, "eslint.config.js") });
    expect(await eslint.isPathIgnored(join(dir, file))).toBe(true);
    expect(await eslint.isPathIgnored(join(dir, "index.ts"))).toBe(false);
  });

  it.each(cases)(
    "%s rewritten by the CLI (%s) reads to the same settings but the one set",
    async (file, style) => {
      await writeFile(join(dir, file), CLI_REWRITES[style]!(await readFile(join(ROOT, file), "utf8")));
      const before = await readStackFile(join(ROOT, file));
      const after = await readStackFile(join(dir, file));
      const workers = before.settings.workers as Record<string, unknown>;
      expect(after.settings).toEqual({ ...before.settings, workers: { ...workers, count: VALUE } });
      expect(after.providerKeys).toEqual(before.providerKeys);
      expect(parseStackConfig(after.settings, after.stack).workers.count).toBe(VALUE);
    },
  );
});

describe("Pulumi.yaml", () => {
  it("is left alone by Prettier too: the CLI rewrites it (pulumi package add)", async () => {
    await copyFile(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    expect(await prettierIgnores("Pulumi.yaml")).toBe(true);
  });
});

it("Prettier still checks the other files at the root", async () => {
  for (const file of ["package.json", "README.md", "CHANGELOG.md", "eslint.config.js"]) {
    expect(await prettierIgnores(file), file).toBe(false);
  }
});

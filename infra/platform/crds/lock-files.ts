import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The files in this folder that pin and check the packages the CRDs come from. */
export const LOCK_FILES = {
  goMod: join(here, "go.mod"),
  goSum: join(here, "go.sum"),
  pom: join(here, "pom.xml"),
  jarSums: join(here, "strimzi-jars.sha256"),
} as const;

/** `module → version` of every `require` in a go.mod (block or single line; comments ignored). */
export function goModRequirements(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let inBlock = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (inBlock && line === ")") inBlock = false;
    else if (line === "require (") inBlock = true;
    else {
      const match = (inBlock ? /^(\S+)\s+(\S+)$/ : /^require\s+(\S+)\s+(\S+)$/).exec(line);
      if (match?.[1] && match[2]) out.set(match[1], match[2]);
    }
  }
  return out;
}

/** The `h1:` hashes a go.sum holds for one module version: its tree and its go.mod. */
export function goSumEntries(text: string, module: string, version: string): { tree?: string; mod?: string } {
  const entries: { tree?: string; mod?: string } = {};
  for (const line of text.split("\n")) {
    const [path, ver, hash] = line.trim().split(/\s+/);
    if (path !== module || !hash) continue;
    if (ver === version) entries.tree = hash;
    if (ver === `${version}/go.mod`) entries.mod = hash;
  }
  return entries;
}

/** A `<properties>` value of a pom, e.g. `strimzi.version`. */
export function pomProperty(text: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`<${escaped}>\\s*([^<\\s]+)\\s*</${escaped}>`).exec(text)?.[1];
}

/** `file → sha256` of a `sha256sum`-style list (`#` comments and blank lines ignored). */
export function parseSha256List(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line);
    if (!match?.[1] || !match[2]) throw new Error(`not a sha256sum line: ${line}`);
    out.set(match[2], match[1]);
  }
  return out;
}

/** What differs between the expected and the actual `file → sha256`, one line each; empty when equal. */
export function sha256Differences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [file, sum] of expected) {
    const got = actual.get(file);
    if (got === undefined) out.push(`${file}: missing`);
    else if (got !== sum) out.push(`${file}: sha256 ${got}, expected ${sum}`);
  }
  for (const file of actual.keys()) if (!expected.has(file)) out.push(`${file}: not in the list`);
  return out;
}

export const readLockFile = (path: string): string => readFileSync(path, "utf8");

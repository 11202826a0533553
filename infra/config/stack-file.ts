import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parse } from "yaml";

/** The Pulumi project name: the namespace of the program's own config keys. */
export const PROJECT = "hybrid-data-pipeline";

export interface StackFile {
  /** Stack name, from the file name (`Pulumi.<stack>.yaml`). */
  readonly stack: string;
  /** The project's own keys without their namespace, e.g. `{ k3sVersion, server, … }`. */
  readonly settings: Record<string, unknown>;
  /** Keys of other namespaces (providers), e.g. `digitalocean:region`. */
  readonly providerKeys: readonly string[];
}

/**
 * Reads a stack settings file as Pulumi would, for the offline plan and the tests:
 * the project's keys (namespace removed) and the names of the providers' keys.
 */
export async function readStackFile(path: string): Promise<StackFile> {
  const match = /^Pulumi\.(.+)\.yaml$/.exec(basename(path));
  if (!match?.[1]) throw new Error(`${path}: a stack file is named Pulumi.<stack>.yaml`);
  const document = (parse(await readFile(path, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const settings: Record<string, unknown> = {};
  const providerKeys: string[] = [];
  for (const [key, value] of Object.entries(document.config ?? {})) {
    if (key.startsWith(`${PROJECT}:`)) settings[key.slice(PROJECT.length + 1)] = value;
    else providerKeys.push(key);
  }
  return { stack: match[1], settings, providerKeys };
}

/**
 * The project's settings as the Pulumi engine hands them to the program: keys in the
 * project's namespace, structured values as JSON text, strings as they are.
 */
export function engineConfig(settings: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [
      `${PROJECT}:${key}`,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

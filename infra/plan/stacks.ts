import { access, readdir } from "node:fs/promises";
import { join } from "node:path";

/** The stack to plan has no stack file: names the stacks there are. */
export class StackNotFoundError extends Error {
  /** The stacks of the project folder. */
  readonly stacks: readonly string[];

  constructor(stack: string, projectDir: string, stacks: readonly string[]) {
    const there = stacks.length
      ? `stacks here: ${stacks.join(", ")} (${stacks.map(stackFileName).join(", ")})`
      : `${projectDir} holds no stack file (${stackFileName("<stack>")})`;
    super(`no stack "${stack}": ${stackFileName(stack)} not found; ${there}`);
    this.name = "StackNotFoundError";
    this.stacks = stacks;
  }
}

const stackFileName = (stack: string) => `Pulumi.${stack}.yaml`;

/** The stacks of a project folder: the names of its `Pulumi.<stack>.yaml` files, sorted. */
export async function stackNames(projectDir: string): Promise<string[]> {
  return (await readdir(projectDir)).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []).sort();
}

/** The path of a stack's file; throws {@link StackNotFoundError} when the folder has none. */
export async function stackFilePath(projectDir: string, stack: string): Promise<string> {
  const path = join(projectDir, stackFileName(stack));
  try {
    await access(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new StackNotFoundError(stack, projectDir, await stackNames(projectDir));
  }
  return path;
}

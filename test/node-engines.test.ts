// The Node.js the project says it needs, against what its dependencies declare and what it ships and runs on:
// package.json's engines, the README, every package in the lock file, the images and the workflows. In CI the
// suite itself runs on the stated minimum (.ci/run puts it on PATH), and this file says so.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFile(join(ROOT, path), "utf8");

interface Lock {
  readonly packages: Record<string, { readonly version?: string; readonly engines?: { node?: string } }>;
}

/** Packages of a lock file whose `engines.node` excludes `version`, as `name@version (range)`. */
function packagesExcluding(lock: Lock, version: string): string[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== "" && typeof entry.engines?.node === "string")
    .filter(([, entry]) => !semver.satisfies(version, entry.engines!.node!, { includePrerelease: true }))
    .map(
      ([path, entry]) => `${path.replace(/^.*node_modules\//, "")}@${entry.version} (${entry.engines!.node})`,
    );
}

const pkg = JSON.parse(await read("package.json")) as { engines: { node: string } };
const minimum = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];

describe("the Node.js the project needs", () => {
  it('is stated once as ">=X.Y.Z" in package.json and the same in the README and the operator guide', async () => {
    expect(minimum, `engines.node is ${pkg.engines.node}`).toBeDefined();
    const [major, minor] = minimum!.split(".");
    expect(await read("README.md")).toContain(`Needs Node.js ≥ ${major}.${minor} `);
    expect(await read("docs/operator-guide.md")).toContain(`Node.js ${major}.${minor} or later`);
  });

  it("is accepted by every package in the lock file (no EBADENGINE on npm ci)", async () => {
    const lock = JSON.parse(await read("package-lock.json")) as Lock;
    expect(packagesExcluding(lock, minimum!)).toEqual([]);
  });

  it("finds the packages that would warn, with their ranges", () => {
    const lock: Lock = {
      packages: {
        "": { engines: { node: ">=1" } },
        "node_modules/cookie": { version: "2.0.2", engines: { node: ">=22" } },
        "node_modules/a/node_modules/eslint": {
          version: "10.0.0",
          engines: { node: "^20.19.0 || ^22.13.0" },
        },
        "node_modules/plain": { version: "1.0.0" },
      },
    };
    expect(packagesExcluding(lock, "20.19.0")).toEqual(["cookie@2.0.2 (>=22)"]);
    expect(packagesExcluding(lock, "22.12.0")).toEqual(["eslint@10.0.0 (^20.19.0 || ^22.13.0)"]);
    expect(packagesExcluding(lock, "22.13.0")).toEqual([]);
  });

  it("is met by the images and the workflows, which all run one release", async () => {
    const found = new Map<string, string>();
    for (const service of await readdir(join(ROOT, "services"))) {
      const dockerfile = await read(`services/${service}/Dockerfile`).catch(() => undefined);
      const image = dockerfile && /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-/m.exec(dockerfile)?.[1];
      if (image) found.set(`services/${service}/Dockerfile`, image);
    }
    const workflows = join(".github", "workflows");
    for (const file of await readdir(join(ROOT, workflows))) {
      const text = await read(join(workflows, file));
      for (const match of text.matchAll(/(?:container: node:|node-version: )(\d+\.\d+\.\d+)/g))
        found.set(join(workflows, file), match[1]!);
    }
    expect(found.size).toBeGreaterThanOrEqual(5);
    for (const [file, version] of found)
      expect(semver.satisfies(version, pkg.engines.node), `${file}: node ${version}`).toBe(true);
    expect(new Set(found.values()).size, JSON.stringify(Object.fromEntries(found))).toBe(1);
  });

  it.runIf(process.env.CI === "true")("runs this suite, in CI, on exactly the stated minimum", () => {
    expect(process.version).toBe(`v${minimum}`);
  });
});

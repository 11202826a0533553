// Reading the stack's settings through Pulumi's config, as `pulumi up` does.
import { readFile } from "node:fs/promises";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { StackConfigError } from "./parse.js";
import { loadStackInputs } from "./pulumi-config.js";
import { PROJECT, engineConfig, readStackFile } from "./stack-file.js";

/** Hands the program the dev stack's settings as the engine does, with `text` set as `pulumi config set <key> <text>` stores it. */
async function configure(secret: { value?: string; asSecret: boolean }, text: Record<string, string> = {}) {
  const file = await readStackFile("Pulumi.dev.yaml");
  const config = engineConfig(file.settings);
  for (const [key, value] of Object.entries(text)) config[`${PROJECT}:${key}`] = value;
  if (secret.value !== undefined) config[`${PROJECT}:sshPrivateKey`] = secret.value;
  pulumi.runtime.setAllConfig(config, secret.asSecret ? [`${PROJECT}:sshPrivateKey`] : []);
}

describe("loadStackInputs", () => {
  beforeEach(async () => {
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: args.name, state: args.inputs }), call: (args) => args.inputs },
      PROJECT,
      "dev",
    );
  });

  it("reads every key of the stack and the SSH private key as a secret", async () => {
    await configure({ value: "PRIVATE", asSecret: true });
    const inputs = loadStackInputs();
    expect(inputs.stack).toBe("dev");
    expect(inputs.config.server.region).toBe("nyc3");
    expect(inputs.config.onPremNodes.map((n) => n.name)).toEqual(["gpu-lab-1", "pi-lab-1"]);
    expect(await pulumi.isSecret(inputs.sshPrivateKey)).toBe(true);
  });

  it("refuses a missing SSH private key, with the command that sets it", async () => {
    await configure({ asSecret: false });
    expect(() => loadStackInputs()).toThrow(StackConfigError);
    expect(() => loadStackInputs()).toThrow(
      /sshPrivateKey: is required: pulumi config set --secret sshPrivateKey/,
    );
  });

  it("keeps a value set as text that looks like a number as text, naming its format", async () => {
    // pulumi config set k3sVersion 1.31
    await configure({ value: "PRIVATE", asSecret: true }, { k3sVersion: "1.31" });
    expect(() => loadStackInputs()).toThrow(
      /^ {2}k3sVersion: must be a k3s release such as v1\.\d+\.\d+\+k3s\d+$/m,
    );
  });

  it("names the expected object when a structured key is set as plain text", async () => {
    // pulumi config set workers 2 (instead of: pulumi config set --path workers.count 2)
    await configure({ value: "PRIVATE", asSecret: true }, { workers: "2" });
    expect(() => loadStackInputs()).toThrow(
      /^ {2}workers: must be an object with keys location, serverType, count, got string "2"$/m,
    );
  });

  it("refuses a webhook URL that is not one, naming the key and not the value", async () => {
    await configure({ value: "PRIVATE", asSecret: true });
    const config = { ...pulumi.runtime.allConfig(), [`${PROJECT}:alertWebhookUrl`]: "hooks-token-123" };
    pulumi.runtime.setAllConfig(config, [`${PROJECT}:sshPrivateKey`, `${PROJECT}:alertWebhookUrl`]);
    let message = "";
    try {
      loadStackInputs();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^ {2}alertWebhookUrl: must be an http or https URL/m);
    expect(message).not.toContain("hooks-token-123");
  });

  it("refuses an SSH private key stored in plain text", async () => {
    await configure({ value: "PRIVATE", asSecret: false });
    expect(() => loadStackInputs()).toThrow(/sshPrivateKey: is stored in plain text/);
  });
});

describe("Pulumi.yaml", () => {
  it("runs the program's entry point through tsx, which the repository installs", async () => {
    const project = parse(await readFile("Pulumi.yaml", "utf8")) as {
      name: string;
      main: string;
      runtime: { name: string; options: { nodeargs: string } };
    };
    const pkg = JSON.parse(await readFile("package.json", "utf8")) as {
      devDependencies: Record<string, string>;
    };
    expect(project.name).toBe(PROJECT);
    expect(project.runtime.name).toBe("nodejs");
    expect(project.runtime.options.nodeargs).toBe("--import tsx");
    expect(pkg.devDependencies.tsx).toBeDefined();
    // loadStack: loadStackInputs, then the checks against the last deployment, before anything is declared.
    await expect(readFile(project.main, "utf8")).resolves.toMatch(/defineStack\(await loadStack\(\)\)/);
  });
});

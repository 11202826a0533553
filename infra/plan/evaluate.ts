import { randomBytes } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOYED_OUTPUT,
  PROJECT,
  SECRET_KEYS,
  engineConfig,
  loadStackInputs,
  withDeployedState,
  type DeployedState,
  type SecretKey,
  type StackFile,
} from "../config/index.js";
import { defineStack } from "../program.js";

/** How the SDK marks a secret value on the wire (and in the mocks' inputs). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One resource the stack would create. */
export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  /** `type::name` of the component it belongs to; undefined at the top. */
  readonly parent: string | undefined;
  /** Whether it is a component (no cloud object of its own). */
  readonly component: boolean;
  /** `type::name` of each resource named in its `dependsOn` (which Pulumi deletes after it). */
  readonly dependsOn: readonly string[];
  /** Inputs with secret values unwrapped (plain). */
  readonly inputs: Record<string, unknown>;
  /** Top-level input names whose value is, or contains, a secret. */
  readonly secretInputs: readonly string[];
}

export interface ResolvedOutput {
  readonly value: unknown;
  readonly secret: boolean;
}

export interface Evaluation {
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  readonly outputs: Readonly<Record<string, ResolvedOutput>>;
  /** Node name → file name → content, secrets replaced by placeholders. */
  readonly rendered: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly topology: string;
  /** The secret values the mocks handed out: none may appear outside secrets. */
  readonly secretValues: Readonly<Record<SecretKey | "token" | "kubeconfig" | "generatedPassword", string>>;
  /** Time to evaluate the program, ms (without module loading). */
  readonly durationMs: number;
}

function isSecretWrapper(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** Unwraps secret markers; reports whether any was found. */
function unwrap(value: unknown): { value: unknown; secret: boolean } {
  if (isSecretWrapper(value)) return { value: unwrap(value.value).value, secret: true };
  if (Array.isArray(value)) {
    const items = value.map(unwrap);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (typeof value === "object" && value !== null) {
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const u = unwrap(v);
      out[k] = u.value;
      secret ||= u.secret;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

/** Documentation addresses (RFC 5737) handed out as public addresses. */
function addressPool(prefix: string) {
  let n = 0;
  return () => `${prefix}.${(n++ % 250) + 4}`;
}

/** A kubeconfig as k3s writes it, with stand-in credentials. */
function fakeK3sYaml(clientKey: string): string {
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    "    certificate-authority-data: UExBTi1DQQ==",
    "    server: https://127.0.0.1:6443",
    "  name: default",
    "contexts:",
    "- context:",
    "    cluster: default",
    "    user: default",
    "  name: default",
    "current-context: default",
    "kind: Config",
    "users:",
    "- name: default",
    "  user:",
    "    client-certificate-data: UExBTi1DRVJU",
    `    client-key-data: ${clientKey}`,
    "",
  ].join("\n");
}

const resolve = <T>(output: pulumi.Output<T>): Promise<T> =>
  new Promise((done) => {
    output.apply((value) => {
      done(value);
      return value;
    });
  });

/** Waits until every resource registration the program started has been answered. */
async function settle(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  await runtime.waitForRPCs?.();
}

/**
 * Runs the Pulumi program for one stack file with the runtime mocked: no CLI, no
 * cloud, no credentials. Secret settings get stand-in values; every registered
 * resource is recorded with its component and inputs.
 */
export async function evaluateStack(
  file: StackFile,
  options: {
    readonly onResource?: (type: string, name: string) => void;
    /** What the stack's last deployment recorded (its `deployed` output); undefined: never deployed. */
    readonly deployed?: DeployedState;
    /** The deployment's clock. @default now */
    readonly now?: Date;
  } = {},
): Promise<Evaluation> {
  const stand = (label: string) => `plan-${label}-${randomBytes(12).toString("hex")}`;
  const secretValues = {
    token: stand("token"),
    sshPrivateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${stand("ssh")}\n-----END OPENSSH PRIVATE KEY-----\n`,
    kubeconfig: stand("client-key"),
    generatedPassword: stand("password"),
    polygonApiKey: stand("polygon"),
    finnhubApiKey: stand("finnhub"),
    backupAccessKeyId: stand("backup-id"),
    backupSecretAccessKey: stand("backup-key"),
    archiveAccessKeyId: stand("archive-id"),
    archiveSecretAccessKey: stand("archive-key"),
    // A URL, as loadStackInputs checks the webhook's.
    alertWebhookUrl: `https://hooks.example.net/${stand("webhook")}`,
    alertSmtpPassword: stand("smtp"),
  };
  const recorded = new Map<string, { inputs: Record<string, unknown>; secretInputs: string[] }>();
  const doAddress = addressPool("203.0.113");
  const hetznerAddress = addressPool("192.0.2");
  let ids = 0;

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs: Record<string, unknown> = {};
        const secretInputs: string[] = [];
        for (const [key, raw] of Object.entries(args.inputs as Record<string, unknown>)) {
          const u = unwrap(raw);
          inputs[key] = u.value;
          if (u.secret) secretInputs.push(key);
        }
        recorded.set(`${args.type}::${args.name}`, { inputs, secretInputs });
        options.onResource?.(args.type, args.name);
        const state: Record<string, unknown> = { ...inputs };
        switch (args.type) {
          case "pulumi:pulumi:StackReference":
            // The stack reading its own last deployment (infra/config/deployed.ts).
            state.outputs = options.deployed ? { [DEPLOYED_OUTPUT]: options.deployed } : {};
            state.secretOutputNames = [];
            break;
          case "random:index/randomPassword:RandomPassword": {
            const value = args.name.endsWith("-k3s-token")
              ? secretValues.token
              : secretValues.generatedPassword;
            state.result = pulumi.secret(value);
            state.bcryptHash = pulumi.secret(`$2a$10$${value}`);
            break;
          }
          case "digitalocean:index/reservedIp:ReservedIp":
            state.ipAddress = doAddress();
            break;
          case "digitalocean:index/droplet:Droplet":
            state.ipv4Address = doAddress();
            break;
          case "digitalocean:index/sshKey:SshKey":
            state.fingerprint = `plan:fingerprint:${args.name}`;
            break;
          case "hcloud:index/server:Server":
            state.ipv4Address = hetznerAddress();
            break;
          case "command:remote:Command":
            state.stdout = args.name.endsWith("-read-kubeconfig")
              ? pulumi.secret(fakeK3sYaml(secretValues.kubeconfig))
              : "";
            break;
        }
        return { id: `${args.name}-id-${++ids}`, state };
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    file.stack,
    false,
    // The organization of a self-managed backend, whose stacks are `organization/<project>/<stack>`.
    "organization",
  );

  const config = engineConfig(file.settings);
  // Every secret setting gets a stand-in, as `pulumi config set --secret` would store it.
  for (const key of SECRET_KEYS) config[`${PROJECT}:${key}`] = secretValues[key];
  pulumi.runtime.setAllConfig(
    config,
    SECRET_KEYS.map((k) => `${PROJECT}:${k}`),
  );

  const parents = new Map<pulumi.Resource, string>();
  const tree: Omit<PlannedResource, "inputs" | "secretInputs">[] = [];
  let program: ReturnType<typeof defineStack> | undefined;
  let refused: unknown;
  const started = performance.now();
  // As under the engine: the config is read and checked before anything is declared …
  const checked = loadStackInputs();
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const key = `${args.type}::${args.name}`;
      parents.set(args.resource, key);
      tree.push({
        type: args.type,
        name: args.name,
        parent: args.opts.parent ? parents.get(args.opts.parent) : undefined,
        component: !(args.resource instanceof pulumi.CustomResource),
        // The program passes plain lists of resources; anything else would be an Output, not recorded here.
        dependsOn: (Array.isArray(args.opts.dependsOn) ? args.opts.dependsOn : [args.opts.dependsOn])
          .filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d))
          .map((d) => parents.get(d))
          .filter((key): key is string => key !== undefined),
      });
      return undefined;
    });
    // … and against the stack's last deployment, read inside the stack.
    let inputs: Awaited<ReturnType<typeof withDeployedState>>;
    try {
      inputs = await withDeployedState(checked, options.now);
    } catch (error) {
      // Thrown inside the stack's constructor it would be an unhandled rejection; rethrown below.
      refused = error;
      return {};
    }
    program = defineStack(inputs, options.now ? { now: options.now } : {});
    return program.outputs;
  });
  if (refused !== undefined) throw refused;
  await settle();
  if (!program) throw new Error("the program declared nothing");
  const { cluster } = program;

  const outputs: Record<string, ResolvedOutput> = {};
  for (const [key, value] of Object.entries(program.outputs) as [string, unknown][]) {
    outputs[key] = pulumi.Output.isInstance(value)
      ? { value: await resolve(value as pulumi.Output<unknown>), secret: await pulumi.isSecret(value) }
      : { value, secret: false };
  }

  const rendered: Record<string, Record<string, string>> = {};
  for (const node of cluster.nodes) rendered[node.spec.name] = await resolve(node.rendered);
  const durationMs = performance.now() - started;

  const resources: PlannedResource[] = tree.map((r) => ({
    ...r,
    inputs: recorded.get(`${r.type}::${r.name}`)?.inputs ?? {},
    secretInputs: recorded.get(`${r.type}::${r.name}`)?.secretInputs ?? [],
  }));
  return {
    stack: file.stack,
    resources,
    outputs,
    rendered,
    topology: cluster.topology,
    secretValues,
    durationMs,
  };
}

/**
 * Each resource's inputs (`type::name` → inputs) with the evaluation's stand-in secrets replaced by their
 * names: every evaluation draws new stand-ins, so that two evaluations compare only after this.
 */
export function comparableInputs(ev: Evaluation): Map<string, unknown> {
  const neutral = (value: unknown): unknown => {
    if (typeof value === "string") {
      let text = value;
      for (const [name, secret] of Object.entries(ev.secretValues))
        text = text.split(secret).join(`<${name}>`);
      return text;
    }
    if (Array.isArray(value)) return value.map(neutral);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, neutral(v)]));
    return value;
  };
  return new Map(ev.resources.map((r) => [`${r.type}::${r.name}`, neutral(r.inputs)]));
}

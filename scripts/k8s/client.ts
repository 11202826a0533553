/**
 * A small Kubernetes API client for the tests and the tier: server-side apply with strict field validation
 * (an unknown or misspelt field is an error, as `kubectl apply --server-side` makes it), discovery of the
 * resource behind a kind, get, list and delete. It speaks HTTPS with a client certificate, which is all the
 * test control plane needs.
 */
import { readFileSync } from "node:fs";
import { request, Agent } from "node:https";
import { describeObject } from "../../infra/plan/manifest-rules.js";

/** Where the API server is and who we are. */
export interface KubeCredentials {
  /** `https://127.0.0.1:PORT` */
  readonly server: string;
  /** PEM files. */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** The least the client needs of an object. */
export interface KubeObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** A request the API server refused: its HTTP status and the server's own message. */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "KubeApiError";
  }
}

interface Resource {
  readonly plural: string;
  readonly namespaced: boolean;
}

interface Response {
  readonly status: number;
  readonly body: unknown;
  readonly warnings: string[];
}

export class KubeClient {
  private readonly agent: Agent;
  private readonly base: URL;
  private readonly resources = new Map<string, Resource>();

  constructor(readonly credentials: KubeCredentials) {
    this.base = new URL(credentials.server);
    this.agent = new Agent({
      ca: readFileSync(credentials.caFile),
      cert: readFileSync(credentials.certFile),
      key: readFileSync(credentials.keyFile),
      keepAlive: true,
      maxSockets: 8,
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** One HTTP request; JSON in and out (or a YAML/JSON apply patch). */
  request(method: string, path: string, body?: unknown, contentType = "application/json"): Promise<Response> {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          hostname: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers: {
            accept: "application/json",
            ...(payload === undefined
              ? {}
              : { "content-type": contentType, "content-length": Buffer.byteLength(payload) }),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (e.g. /readyz answers "ok")
            }
            const warning = res.headers.warning;
            const warnings = (Array.isArray(warning) ? warning : warning ? [warning] : []).map((w) =>
              w.replace(/^299 - "?|"$/g, ""),
            );
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on("error", reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<Response> {
    const response = await this.request(method, path, body, contentType);
    if (response.status >= 200 && response.status < 300) return response;
    const status = response.body as { message?: string; reason?: string } | string | undefined;
    const message = typeof status === "object" ? (status?.message ?? JSON.stringify(status)) : String(status);
    const reason = typeof status === "object" ? (status?.reason ?? "") : "";
    throw new KubeApiError(response.status, reason, `${method} ${path}: ${response.status} ${message}`);
  }

  private static groupPath(apiVersion: string): string {
    return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  }

  /** The resource (plural, scope) behind a kind, from discovery; looked up again once on a miss. */
  async resourceOf(apiVersion: string, kind: string): Promise<Resource> {
    const key = `${apiVersion}/${kind}`;
    const cached = this.resources.get(key);
    if (cached) return cached;
    const response = await this.request("GET", KubeClient.groupPath(apiVersion));
    const list = response.body as
      { resources?: { name: string; kind: string; namespaced: boolean }[] } | undefined;
    const found =
      response.status === 200
        ? list?.resources?.find((r) => r.kind === kind && !r.name.includes("/"))
        : undefined;
    if (!found)
      throw new KubeApiError(
        404,
        "NotFound",
        `the server has no resource for ${key} (is its CRD installed?)`,
      );
    const resource = { plural: found.name, namespaced: found.namespaced };
    this.resources.set(key, resource);
    return resource;
  }

  /** The URL path of a collection (name omitted) or one object. */
  async pathOf(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const { plural, namespaced } = await this.resourceOf(apiVersion, kind);
    const ns = namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
    return `${KubeClient.groupPath(apiVersion)}${ns}/${plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
  }

  /**
   * Server-side apply, forcing ownership, with strict field validation. Resolves with the object as stored and
   * any warnings; rejects with {@link KubeApiError} naming the object and the server's reason.
   */
  async apply<T extends KubeObjectRef>(
    object: T,
    fieldManager = "hdp-tests",
  ): Promise<{ object: T; warnings: string[] }> {
    const path = await this.pathOf(
      object.apiVersion,
      object.kind,
      object.metadata.namespace,
      object.metadata.name,
    );
    const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=true&fieldValidation=Strict`;
    try {
      const response = await this.ok("PATCH", path + query, object, "application/apply-patch+yaml");
      return { object: response.body as T, warnings: response.warnings };
    } catch (error) {
      if (error instanceof KubeApiError) {
        throw new KubeApiError(
          error.status,
          error.reason,
          `${describeObject(object)} rejected: ${error.message}`,
        );
      }
      throw error;
    }
  }

  /** One object, or undefined when it does not exist. */
  async get<T>(apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined> {
    const response = await this.request("GET", await this.pathOf(apiVersion, kind, namespace, name));
    if (response.status === 404) return undefined;
    if (response.status !== 200)
      throw new KubeApiError(response.status, "", `GET ${kind} ${name}: ${JSON.stringify(response.body)}`);
    return response.body as T;
  }

  /** Every object of a kind (in one namespace, or all), optionally by label selector. */
  async list<T>(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<T[]> {
    const query = options.labelSelector ? `?labelSelector=${encodeURIComponent(options.labelSelector)}` : "";
    const response = await this.ok("GET", (await this.pathOf(apiVersion, kind, options.namespace)) + query);
    return ((response.body as { items?: T[] }).items ?? []) as T[];
  }

  /** Creates an object (POST); for subresource-free kinds such as a Job made from a CronJob's template. */
  async create<T extends KubeObjectRef>(object: T): Promise<T> {
    const path = await this.pathOf(object.apiVersion, object.kind, object.metadata.namespace);
    return (await this.ok("POST", path, object)).body as T;
  }

  /** Deletes an object; a missing one is fine. */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<void> {
    const response = await this.request("DELETE", await this.pathOf(apiVersion, kind, namespace, name));
    if (response.status !== 404 && (response.status < 200 || response.status >= 300)) {
      throw new KubeApiError(response.status, "", `DELETE ${kind} ${name}: ${JSON.stringify(response.body)}`);
    }
  }
}

export { waitFor } from "../lib/wait-for.js";

import { STATUS_CODES } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyTypeProvider,
  RawServerDefault,
  RouteOptions,
} from "fastify";

/** The methods each route pattern serves, to say which a path allows. */
export class RouteMethods {
  private readonly routes = new Map<string, { readonly pattern: RegExp; readonly methods: Set<string> }>();

  /** Records a route as Fastify adds it; a catch-all (`*`, such as CORS preflight) names no path. */
  add(url: string, method: string | readonly string[]): void {
    if (url === "*" || url === "/*") return;
    let route = this.routes.get(url);
    if (route === undefined) {
      route = { pattern: patternOf(url), methods: new Set() };
      this.routes.set(url, route);
    }
    for (const m of typeof method === "string" ? [method] : method) route.methods.add(m.toUpperCase());
  }

  /** The methods some route serves at `path` (without its query), sorted; empty for an unknown path. */
  allowedAt(path: string): string[] {
    const allowed = new Set<string>();
    for (const { pattern, methods } of this.routes.values()) {
      if (pattern.test(path)) for (const m of methods) allowed.add(m);
    }
    return [...allowed].sort();
  }
}

/** A route URL as a regular expression over paths: `:name` is one segment, `*` the rest. */
function patternOf(url: string): RegExp {
  const source = url
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) return "[^/]+";
      return segment.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}

/**
 * Answers a request whose path a route serves with other methods 405 with `Allow`, as HTTP asks
 * (RFC 9110, 15.5.6), with the `{error, message, statusCode}` body; other unmatched requests get
 * Fastify's 404. Decided when the request arrives, before its body (or its missing `Content-Type`,
 * which Fastify refuses for QUERY) is looked at. Call it before adding routes: it records them as
 * they are added.
 */
export function answerMethodNotAllowed<
  Logger extends FastifyBaseLogger,
  TypeProvider extends FastifyTypeProvider,
>(app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger, TypeProvider>): void {
  const routes = new RouteMethods();
  app.addHook("onRoute", (route: Pick<RouteOptions, "url" | "method">) =>
    routes.add(route.url, route.method),
  );
  app.addHook("onRequest", async (request, reply) => {
    if (!request.is404) return;
    const path = request.url.split("?", 1)[0] ?? request.url;
    const allowed = routes.allowedAt(path);
    if (allowed.length === 0) return;
    const message = `${request.method} is not allowed on ${path}; allowed: ${allowed.join(", ")}`;
    return reply
      .code(405)
      .header("allow", allowed.join(", "))
      .send({ error: STATUS_CODES[405], message, statusCode: 405 });
  });
}

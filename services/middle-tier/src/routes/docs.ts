import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { MiddleTierApp } from "../app.js";

/**
 * The OpenAPI 3 document at `/openapi.json`, generated from the route schemas,
 * Swagger UI at `/docs/` and ReDoc at `/redoc` (their assets are served from the
 * packages, no CDN, and named by relative paths, so that both pages work under a prefix).
 * Registered before the routes so that it sees each of them.
 */
export function registerDocs(app: MiddleTierApp): void {
  void app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Hybrid data pipeline API",
        description: "Market bars with EMA9, news with sentiment, and device telemetry.",
        version: "1.0.0",
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (document) =>
      withoutFormatPatterns("openapiObject" in document ? document.openapiObject : document.swaggerObject),
  });
  void app.register(swaggerUi, {
    routePrefix: "/docs",
    uiHooks: { onRequest: toDocsFolder },
    // Swagger UI reads the document at docs/json and sends "Try it out" requests to its server,
    // resolved against that address: one folder up is the API, under whatever prefix it is served.
    transformSpecification: (document) => ({
      ...document,
      servers: [{ url: "../", description: "this API, where these docs are served" }],
    }),
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  registerRedoc(app);
}

/**
 * `/docs` → `docs/`, a relative redirect. Swagger UI's page at `/docs` names its assets by
 * absolute paths (`/docs/static/…`), which miss wherever the API is served under a prefix
 * (the web page's `/api/docs`, the ingress); at `docs/` they are relative and resolve under
 * whatever prefix the browser used.
 */
function toDocsFolder(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const [path, query] = request.url.split("?", 2);
  if (path === "/docs") void reply.redirect(`docs/${query === undefined ? "" : `?${query}`}`);
  else done();
}

/** Formats whose values the document names by `format` alone. */
const NAMED_FORMATS = new Set(["date", "date-time"]);

/**
 * The document without the regular expressions that zod writes beside `format: date` and
 * `format: date-time`: the format (and the example) says it to a reader; the API's own
 * validation still checks every value in full (2024-02-30 is refused).
 */
export function withoutFormatPatterns<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutFormatPatterns) as T;
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(
    ([key]) => !(key === "pattern" && NAMED_FORMATS.has(String((value as { format?: unknown }).format))),
  );
  return Object.fromEntries(entries.map(([key, child]) => [key, withoutFormatPatterns(child)])) as T;
}

const REDOC_BUNDLE = createRequire(import.meta.url).resolve("redoc/bundles/redoc.standalone.js");

const REDOC_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Hybrid data pipeline API</title>
  </head>
  <body>
    <redoc spec-url="openapi.json"></redoc>
    <script src="redoc/redoc.standalone.js"></script>
  </body>
</html>
`;

/** ReDoc's reference page, reading the same OpenAPI document. */
function registerRedoc(app: MiddleTierApp): void {
  let bundle: Promise<Buffer> | undefined;
  app.get("/redoc", { schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(REDOC_PAGE),
  );
  app.get("/redoc/redoc.standalone.js", { schema: { hide: true } }, async (_request, reply) => {
    bundle ??= readFile(REDOC_BUNDLE);
    return reply
      .type("application/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .send(await bundle);
  });
}

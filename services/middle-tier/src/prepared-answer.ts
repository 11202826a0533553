import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { RecordCacheLookup } from "./metrics/metrics.js";

/**
 * A JSON answer kept ready to send again: its bytes, its entity tag, and (made on
 * first need) its gzip encoding, so that sending it again serializes and compresses
 * nothing.
 */
export class PreparedAnswer {
  readonly body: Buffer;
  /** Weak: the identity and gzip encodings share it, as RFC 9110 §8.8.1 allows. */
  readonly etag: string;
  private gzipBody: Buffer | undefined;

  /** `json`: the answer as the route's serializer wrote it. */
  constructor(json: string | ArrayBuffer | Uint8Array) {
    this.body = Buffer.from(typeof json === "string" ? json : new Uint8Array(json));
    this.etag = `W/"${createHash("sha256").update(this.body).digest("base64url").slice(0, 27)}"`;
  }

  get gzipped(): Buffer {
    this.gzipBody ??= gzipSync(this.body);
    return this.gzipBody;
  }

  /** True once the gzip encoding has been made. */
  get hasGzipped(): boolean {
    return this.gzipBody !== undefined;
  }
}

/**
 * Sends `answer` (with whatever headers `reply` already has): 304 when the client's
 * `If-None-Match` names its tag, gzip when the client takes it, the bytes as they
 * are otherwise. `record` counts a revalidation (`etag`: hit when answered 304) and
 * a gzip answer (`gzip`: hit when the encoding was already made).
 */
export function sendPrepared(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: PreparedAnswer,
  record: RecordCacheLookup = () => {},
) {
  reply.header("etag", answer.etag).header("vary", "accept-encoding");
  const ifNoneMatch = request.headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    const current = matchesEtag(ifNoneMatch, answer.etag);
    record("etag", current ? "hit" : "miss");
    if (current) return reply.code(304).send();
  }
  reply.type("application/json; charset=utf-8");
  if (acceptsGzip(request.headers["accept-encoding"])) {
    record("gzip", answer.hasGzipped ? "hit" : "miss");
    // A content encoding already set keeps @fastify/compress from compressing again.
    return reply.header("content-encoding", "gzip").send(answer.gzipped);
  }
  return reply.send(answer.body);
}

/** Sends JSON the route already has as text (no serializer runs). */
export function sendJsonText(reply: FastifyReply, text: string) {
  return reply.type("application/json; charset=utf-8").send(text);
}

/** True when an `If-None-Match` value lists `etag` (compared weakly) or is `*`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}

/** True when an `Accept-Encoding` value takes gzip: listed (or `*` is) without `q=0`. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [coding = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    weights.set(coding, q === undefined ? 1 : Number(q.slice(2)));
  }
  const weight = weights.get("gzip") ?? weights.get("*");
  return weight !== undefined && weight > 0;
}

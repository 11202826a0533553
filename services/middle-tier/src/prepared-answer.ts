import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";

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
}

/**
 * Sends `answer` (with whatever headers `reply` already has): 304 when the client's
 * `If-None-Match` names its tag, gzip when the client takes it, the bytes as they
 * are otherwise.
 */
export function sendPrepared(request: FastifyRequest, reply: FastifyReply, answer: PreparedAnswer) {
  reply.header("etag", answer.etag).header("vary", "accept-encoding");
  if (matchesEtag(request.headers["if-none-match"], answer.etag)) return reply.code(304).send();
  reply.type("application/json; charset=utf-8");
  if (acceptsGzip(request.headers["accept-encoding"])) {
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

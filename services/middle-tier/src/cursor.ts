import type { NewsPosition } from "./data/news.js";

/** Opaque page cursor of `/v1/news`: the last item's (published µs, id), base64url JSON. */
export function encodeCursor(position: NewsPosition): string {
  return Buffer.from(JSON.stringify([position.publishedUs, position.id])).toString("base64url");
}

/** The position a cursor stands for, or undefined when it was not made by `encodeCursor`. */
export function decodeCursor(cursor: string): NewsPosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [publishedUs, id] = value as unknown[];
    if (typeof publishedUs !== "number" || !Number.isSafeInteger(publishedUs)) return undefined;
    if (typeof id !== "string" || id.length === 0) return undefined;
    return { publishedUs, id };
  } catch {
    // Not base64url JSON: the caller answers 400 naming `cursor`.
    return undefined;
  }
}

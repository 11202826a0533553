import { createHash } from "node:crypto";

/** Single-quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** SHA-256 of a text, hex: the content hash that decides when a bootstrap runs again. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

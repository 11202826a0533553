import { z } from "zod";

/** What a dead-letter topic carries: the original bytes and why they were refused. */
export const deadLetterSchema = z
  .object({
    /** Topic the message was read from. */
    topic: z.string(),
    partition: z.number().int().nonnegative(),
    offset: z.string(),
    key: z.string().nullable(),
    /** Human-readable reasons, each naming the offending field. */
    reason: z.string(),
    /** The original value, as UTF-8 text when it decodes, else base64. */
    payload: z.string(),
    payloadEncoding: z.enum(["utf8", "base64"]),
    failedAt: z.iso.datetime(),
  })
  .strict();

export type DeadLetter = z.infer<typeof deadLetterSchema>;

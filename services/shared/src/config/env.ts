import { z } from "zod";
import { ConfigError } from "../errors/errors.js";

/**
 * Parses environment variables once through a zod object schema whose keys are
 * the variable names. Every problem is reported at once, each naming its variable.
 *
 * @example
 * const config = loadEnv(z.object({ PORT: port.default(8080) }));
 */
export function loadEnv<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  // Empty strings mean "unset": a blank line in a .env file must not override a default.
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== "") cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join(".") || "(environment)";
    const reason =
      issue.code === "invalid_type" && cleaned[name] === undefined ? "is required" : issue.message;
    return `${name}: ${reason}`;
  });
  throw new ConfigError(problems);
}

/** Reusable field parsers for environment values (all arrive as strings). */
export const env = {
  port: z.coerce.number().int().min(0).max(65535),
  positiveInt: z.coerce.number().int().positive(),
  nonNegativeInt: z.coerce.number().int().nonnegative(),
  positiveNumber: z.coerce.number().positive(),
  url: z.url(),
  /** `true/false/1/0/yes/no`, case-insensitive. */
  boolean: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
    .transform((v) => v === "true" || v === "1" || v === "yes"),
  /** Comma-separated list, blanks dropped. */
  list: z.string().transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  ),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  /** Prepended to every Kafka topic name (see `withTopicPrefix`), e.g. `staging.`. */
  topicPrefix: z.string().regex(/^[a-zA-Z0-9._-]*$/, "may hold only letters, digits, '.', '_' and '-'"),
} as const;

// zod's issues in the words of a stack file: the key, the form it expects, what it got.
// A value of the wrong type is common: `pulumi config set` stores what it is given, and
// the engine hands structured values to the program as JSON text.
import { z } from "zod";
import type { Problem } from "./rules.js";

/**
 * Options for `safeParse`: zod reports the input of each issue (without it, a value of
 * the wrong type would look like a missing one), and issues whose schema has no message
 * of its own get {@link expectedForm}'s.
 */
export const parseOptions = { reportInput: true, error: expectedForm } as const;

/** Issues about which value is there: a missing value is "required", a wrong one is shown. */
const VALUE_ISSUES = new Set<string>(["invalid_type", "invalid_value", "invalid_union"]);

/** Every issue of a failed parse as a problem naming its key. */
export function schemaProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({ key: keyOf(issue.path) || "(config)", reason: reasonOf(issue) }));
}

/** A config key as the stack file spells it: `onPremNodes[1].reach.mode`. */
function keyOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) =>
      typeof part === "number" ? `${key}[${part}]` : key ? `${key}.${String(part)}` : String(part),
    "",
  );
}

function reasonOf(issue: z.core.$ZodIssue): string {
  const bound = (issue.code === "too_small" || issue.code === "too_big") && issue.origin === "number";
  if (!VALUE_ISSUES.has(issue.code) && !bound) return issue.message;
  // A discriminated union reports its discriminator's key with the whole object as input.
  const value =
    issue.code === "invalid_union" && issue.discriminator !== undefined && isRecord(issue.input)
      ? issue.input[issue.discriminator]
      : issue.input;
  return value === undefined ? "is required" : `${issue.message}, got ${describeValue(value)}`;
}

/** The message of an issue whose schema gives none, in the project's words; zod's otherwise. */
function expectedForm(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      const form = describeSchema(issue.inst);
      return form && `must be ${form}`;
    }
    case "invalid_value":
      return `must be ${oneOf(issue.values)}`;
    case "invalid_union":
      if (Array.isArray(issue.options)) return `must be ${oneOf(issue.options)}`;
      if (issue.inst instanceof z.ZodUnion) {
        const forms = issue.inst.options.map((option: unknown) => describeSchema(option));
        if (forms.every(Boolean)) return `must be ${forms.join(" or ")}`;
      }
      return undefined;
    case "too_small":
    case "too_big":
      return describeBound(
        issue.code,
        issue.origin,
        Number(issue.code === "too_small" ? issue.minimum : issue.maximum),
        issue.inclusive !== false,
      );
    default:
      return undefined;
  }
}

/** The form a schema expects: `a string (a k3s release such as …)`, `an integer from 0 to 50`. */
function describeSchema(schema: unknown): string | undefined {
  if (schema instanceof z.ZodString) {
    const format = stringFormat(schema);
    return format ? `a string (${format})` : "a string";
  }
  if (schema instanceof z.ZodNumber) return describeNumber(schema);
  if (schema instanceof z.ZodBoolean) return "true or false";
  if (schema instanceof z.ZodArray) return "a list";
  if (schema instanceof z.ZodLiteral) return oneOf(schema.values);
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const key = schema.def.discriminator;
    const values = schema.options.flatMap((option) =>
      option instanceof z.ZodObject && option.shape[key] instanceof z.ZodLiteral
        ? [...option.shape[key].values]
        : [],
    );
    return `an object with key ${key} (${list(values, "or")})`;
  }
  if (schema instanceof z.ZodObject) {
    const keys = Object.keys(schema.shape);
    return `an object with key${keys.length === 1 ? "" : "s"} ${keys.join(", ")}`;
  }
  return undefined;
}

/**
 * The format a string schema checks, from its own message: the project words those
 * `must be <format>`, so an empty string (which every format here refuses) brings it out.
 */
function stringFormat(schema: z.ZodString): string | undefined {
  const message = schema.safeParse("").error?.issues[0]?.message;
  return message?.startsWith("must be ") ? message.slice("must be ".length) : undefined;
}

function describeNumber(schema: z.ZodNumber): string {
  const kind = schema.isInt ? "an integer" : "a number";
  // `.int()` bounds a number to the safe integers: no bound worth naming.
  const min =
    schema.minValue !== null && schema.minValue > Number.MIN_SAFE_INTEGER ? schema.minValue : undefined;
  const max =
    schema.maxValue !== null && schema.maxValue < Number.MAX_SAFE_INTEGER ? schema.maxValue : undefined;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

function describeBound(
  code: "too_small" | "too_big",
  origin: string,
  limit: number,
  inclusive: boolean,
): string | undefined {
  const small = code === "too_small";
  switch (origin) {
    case "number":
      return `must be ${small ? (inclusive ? "at least" : "greater than") : inclusive ? "at most" : "less than"} ${limit}`;
    case "string":
      return small && limit === 1
        ? "must not be empty"
        : `must be ${small ? "at least" : "at most"} ${limit} characters long`;
    case "array":
      return `must hold ${small ? "at least" : "at most"} ${limit} item${limit === 1 ? "" : "s"}`;
    default:
      return undefined;
  }
}

/** What a config value is: `number 1.31`, `string "2"`, `a list`. Long text is not repeated. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string")
    return value.length <= 60 && !/[\r\n]/.test(value) ? `string ${JSON.stringify(value)}` : "a long string";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function oneOf(values: Iterable<unknown>): string {
  const all = [...values].map(String);
  return all.length === 1 ? all[0]! : `one of ${all.join(", ")}`;
}

function list(values: readonly unknown[], conjunction: string): string {
  const all = values.map(String);
  return all.length <= 1 ? all.join("") : `${all.slice(0, -1).join(", ")} ${conjunction} ${all.at(-1)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

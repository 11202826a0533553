import { parseArgs, type ParseArgsConfig } from "node:util";

/** The help option every script takes. */
const HELP = { help: { type: "boolean", short: "h", default: false } } as const;

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** The parsed options, typed from their configuration as parseArgs types them. */
type Values<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: O & typeof HELP }>>["values"];

/** A script's command line: its name for messages, its usage text and its options. */
export interface CommandLine<O extends OptionsConfig> {
  /** Starts every message, e.g. `plan` in `plan: unknown option '--bogus'`. */
  readonly name: string;
  /** Printed for `--help` (standard output, exit 0) and after every mistake (standard error). */
  readonly usage: string;
  /** The options besides `-h, --help`, which every script has. */
  readonly options: O;
  /** The words to parse. @default process.argv.slice(2) */
  readonly args?: string[];
}

/** A mistake on a script's command line: one line saying what, then the usage, exit 2. */
export function usageError(line: Pick<CommandLine<OptionsConfig>, "name" | "usage">, message: string): never {
  console.error(`${line.name}: ${message}`);
  console.error(line.usage);
  process.exit(2);
}

/** parseArgs refuses a command line with a TypeError coded `ERR_PARSE_ARGS_*`. */
function isParseArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && /^ERR_PARSE_ARGS_/.test(String((error as NodeJS.ErrnoException).code));
}

/**
 * Parses a script's options (no positionals). Prints the usage and exits 0 for
 * `--help`; a mistake is a `usageError` (exit 2), never a stack trace.
 */
export function parseCommandLine<O extends OptionsConfig>(line: CommandLine<O>): Values<O> {
  const values = parseOptions(line);
  if ((values as { help?: boolean }).help) {
    console.log(line.usage);
    process.exit(0);
  }
  return values;
}

/**
 * Like `parseCommandLine`, for a script that also takes words that are not options (a command, an SQL
 * query): answers the options and those words, in order.
 */
export function parseCommandWords<O extends OptionsConfig>(
  line: CommandLine<O>,
): { values: Values<O>; words: string[] } {
  const words: string[] = [];
  const values = parseOptions(line, words);
  if ((values as { help?: boolean }).help) {
    console.log(line.usage);
    process.exit(0);
  }
  return { values, words };
}

function parseOptions<O extends OptionsConfig>(line: CommandLine<O>, words?: string[]): Values<O> {
  try {
    const parsed = parseArgs({
      args: line.args,
      options: { ...line.options, ...HELP },
      allowPositionals: words !== undefined,
    });
    words?.push(...parsed.positionals);
    return parsed.values as Values<O>;
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    // Its first sentence says what is wrong; the rest is advice about positionals.
    const what = error.message.split(". ")[0]!;
    return usageError(line, what.charAt(0).toLowerCase() + what.slice(1));
  }
}

import type { FinanceTerm } from "./finance-lexicon.js";
import { standInFor } from "./stand-ins.js";

/** Most words `...` lets stand between two words of a phrase. */
export const MAX_GAP_WORDS = 2;

/** Punctuation VADER strips from the ends of a word (its REGEX_REMOVE_PUNCTUATION). */
const EDGE_PUNCTUATION =
  /^([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]*)(.*?)([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]*)$/s;
/** Punctuation that ends a clause: a phrase never spans it. */
const CLAUSE_BREAK = /[,.;:!?()[\]{}"]/;
/** Python's `str.isupper`, as VADER uses it for ALL CAPS emphasis. */
const ALL_CAPS = /^[^a-z]*[A-Z]+[^a-z]*$/;

/** One finance term found in a text. */
export interface TermMatch {
  /** The lexicon pattern that matched. */
  readonly pattern: string;
  readonly valence: number;
  /** The words of the text that matched, gap words excluded, e.g. "misses estimates". */
  readonly words: string;
}

/** A text with its finance terms replaced by VADER stand-ins. */
export interface Rewritten {
  readonly text: string;
  readonly matches: readonly TermMatch[];
}

/** Rewrites texts so that plain VADER scores finance terms as lexicon entries. */
export interface TermRewriter {
  rewrite(text: string): Rewritten;
}

interface PatternWord {
  readonly forms: ReadonlySet<string>;
  /** How many other words may stand before this one (0 or MAX_GAP_WORDS). */
  readonly gapBefore: number;
}

interface CompiledTerm {
  readonly term: FinanceTerm;
  readonly words: readonly PatternWord[];
  readonly standIn: string;
}

interface Token {
  /** Whitespace before the token, kept so the text keeps its shape. */
  readonly lead: string;
  readonly prefix: string;
  readonly core: string;
  readonly suffix: string;
  /** `core`, lower-cased: what patterns match against. */
  readonly word: string;
}

/** Parses a pattern such as `cut|cuts ... guidance`; throws on a malformed one. */
function compileTerm(term: FinanceTerm): CompiledTerm {
  const words: PatternWord[] = [];
  let gap = 0;
  for (const part of term.pattern.split(/\s+/).filter((p) => p !== "")) {
    if (part === "...") {
      if (words.length === 0 || gap > 0) throw new Error(`misplaced "..." in finance term "${term.pattern}"`);
      gap = MAX_GAP_WORDS;
      continue;
    }
    words.push({ forms: new Set(part.toLowerCase().split("|")), gapBefore: gap });
    gap = 0;
  }
  if (words.length === 0 || gap > 0) throw new Error(`malformed finance term "${term.pattern}"`);
  return { term, words, standIn: standInFor(term.valence) };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const found of text.matchAll(/(\s*)(\S+)/g)) {
    const [, lead = "", raw = ""] = found;
    const [, prefix = "", core = "", suffix = ""] = EDGE_PUNCTUATION.exec(raw) ?? [];
    tokens.push({ lead, prefix, core, suffix, word: core.toLowerCase() });
  }
  return tokens;
}

/** True when a clause ends between tokens `index - 1` and `index`. */
function breaksBefore(tokens: readonly Token[], index: number): boolean {
  const before = tokens[index - 1];
  const at = tokens[index];
  return before === undefined || at === undefined || CLAUSE_BREAK.test(before.suffix + at.prefix);
}

/** Token positions of the term's words when it starts at `start`, else undefined. */
function matchAt(compiled: CompiledTerm, tokens: readonly Token[], start: number): number[] | undefined {
  const positions: number[] = [];
  for (const [n, patternWord] of compiled.words.entries()) {
    const first = n === 0 ? start : (positions[n - 1] ?? start) + 1;
    const last = first + patternWord.gapBefore;
    let found: number | undefined;
    for (let k = first; k <= last && k < tokens.length; k++) {
      if (n > 0 && breaksBefore(tokens, k)) break;
      // The farthest match wins: "misses Wall Street estimates" ends at "estimates", not "Street".
      if (patternWord.forms.has(tokens[k]?.word ?? "")) found = k;
    }
    if (found === undefined) return undefined;
    positions.push(found);
  }
  return positions;
}

/** The first term (in priority order) that matches at `start`, with its word positions. */
function firstMatch(
  compiled: readonly CompiledTerm[],
  tokens: readonly Token[],
  start: number,
): { c: CompiledTerm; positions: number[] } | undefined {
  for (const c of compiled) {
    const positions = matchAt(c, tokens, start);
    if (positions !== undefined) return { c, positions };
  }
  return undefined;
}

/**
 * Builds a rewriter for a finance lexicon. Terms are matched left to right;
 * where several start at the same word, the one with the most words wins (so
 * "fell short" beats "fell"). A matched phrase becomes one stand-in word at the
 * place of its first word, so a negation or booster just before the phrase
 * applies to it as VADER applies them to a lexicon word; words inside a `...`
 * gap stay and are scored as usual.
 *
 * @throws Error or RangeError when a term is malformed or its valence has no stand-in.
 */
export function createTermRewriter(terms: readonly FinanceTerm[]): TermRewriter {
  const compiled = terms
    .map(compileTerm)
    .map((c, order) => ({ c, order }))
    .sort((a, b) => b.c.words.length - a.c.words.length || a.order - b.order)
    .map(({ c }) => c);

  return {
    rewrite(text) {
      const tokens = tokenize(text);
      const out: { lead: string; text: string }[] = [];
      const matches: TermMatch[] = [];
      let i = 0;
      while (i < tokens.length) {
        const token = tokens[i] as Token;
        const hit = firstMatch(compiled, tokens, i);
        if (hit === undefined) {
          out.push({ lead: token.lead, text: token.prefix + token.core + token.suffix });
          i += 1;
          continue;
        }
        const positions = new Set(hit.positions);
        const standIn = ALL_CAPS.test(token.core) ? hit.c.standIn.toUpperCase() : hit.c.standIn;
        out.push({ lead: token.lead, text: token.prefix + standIn + token.suffix });
        const end = Math.max(...positions);
        for (let k = i + 1; k <= end; k++) {
          const t = tokens[k] as Token;
          if (!positions.has(k)) out.push({ lead: t.lead, text: t.prefix + t.core + t.suffix });
          // A matched word goes, but its punctuation stays with the word before it.
          else (out.at(-1) as { text: string }).text += t.prefix + t.suffix;
        }
        matches.push({
          pattern: hit.c.term.pattern,
          valence: hit.c.term.valence,
          words: hit.positions.map((k) => tokens[k]?.core).join(" "),
        });
        i = end + 1;
      }
      const trailing = /\s*$/.exec(text)?.[0] ?? "";
      return { text: out.map((t) => t.lead + t.text).join("") + trailing, matches };
    },
  };
}

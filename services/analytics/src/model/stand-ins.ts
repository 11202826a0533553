/**
 * Stand-in words: for each valence on VADER's grid (tenths from -3.4 to 3.4),
 * an ordinary word that VADER's own lexicon rates at exactly that valence.
 *
 * The `vader-sentiment` bundle keeps its lexicon private, so entries cannot be
 * added to it. Writing a stand-in in place of a finance term has the same effect
 * as adding the term to the lexicon: VADER then applies all of its rules
 * (negation, boosters, ALL CAPS, "but", punctuation) to it. None of these words
 * is a negation, a booster or part of one of VADER's idioms; `stand-ins.test.ts`
 * checks each valence against the library itself.
 */
const STAND_INS_BY_TENTHS: ReadonlyMap<number, string> = new Map([
  [-34, "evil"],
  [-33, "dead"],
  [-32, "doomed"],
  [-31, "brutal"],
  [-30, "dismal"],
  [-29, "havoc"],
  [-28, "ruin"],
  [-27, "grim"],
  [-26, "gloom"],
  [-25, "fail"],
  [-24, "hurt"],
  [-23, "pain"],
  [-22, "grief"],
  [-21, "poor"],
  [-20, "dire"],
  [-19, "weak"],
  [-18, "agony"],
  [-17, "dull"],
  [-16, "ache"],
  [-15, "mess"],
  [-14, "flop"],
  [-13, "lack"],
  [-12, "pity"],
  [-11, "risk"],
  [-10, "torn"],
  [-9, "shaky"],
  [-8, "empty"],
  [-7, "hide"],
  [-6, "moan"],
  [-5, "rigid"],
  [-4, "hard"],
  [-3, "rainy"],
  [-2, "irony"],
  [-1, "dwells"],
  [1, "reach"],
  [2, "grey"],
  [3, "clears"],
  [4, "await"],
  [5, "legal"],
  [6, "solid"],
  [7, "adopt"],
  [8, "solve"],
  [9, "okay"],
  [10, "chance"],
  [11, "vigor"],
  [12, "avid"],
  [13, "calm"],
  [14, "pride"],
  [15, "eager"],
  [16, "clear"],
  [17, "charm"],
  [18, "nice"],
  [19, "good"],
  [20, "glad"],
  [21, "wise"],
  [22, "enjoy"],
  [23, "cheer"],
  [24, "ideal"],
  [25, "amaze"],
  [26, "hero"],
  [27, "happy"],
  [28, "lovely"],
  [29, "super"],
  [30, "heavenly"],
  [31, "great"],
  [32, "glorious"],
  [33, "euphoria"],
  [34, "magnificently"],
]);

/** A word VADER's lexicon does not know: what a term of valence 0 becomes. */
export const NEUTRAL_STAND_IN = "neutral";

/** Largest valence magnitude a stand-in exists for. */
export const MAX_STAND_IN_VALENCE = 3.4;

/** Every valence that has a stand-in, with its word (for tests and diagnostics). */
export function standInTable(): ReadonlyMap<number, string> {
  return new Map([...STAND_INS_BY_TENTHS].map(([tenths, word]) => [tenths / 10, word]));
}

/**
 * The word to write in place of a term of this valence.
 *
 * @throws RangeError when the valence is not a multiple of 0.1 within ±3.4.
 */
export function standInFor(valence: number): string {
  const tenths = Math.round(valence * 10);
  if (Math.abs(valence * 10 - tenths) > 1e-9)
    throw new RangeError(`valence ${valence} is not on the 0.1 grid`);
  if (tenths === 0) return NEUTRAL_STAND_IN;
  const word = STAND_INS_BY_TENTHS.get(tenths);
  if (word === undefined) throw new RangeError(`valence ${valence} is outside ±${MAX_STAND_IN_VALENCE}`);
  return word;
}

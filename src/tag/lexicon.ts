/**
 * Cue lexicon of the S/I/M/N rule layer, as data: `data/lexicon.json` (generic English /
 * Ofsted-register evaluative phrases, negators, hedges, contrast markers and the heading /
 * boilerplate / grade patterns) is validated with zod and compiled once when this module loads.
 * Loading fails, naming the entries, on a malformed file, a pattern that does not compile, a prefix
 * pattern shorter than three letters, or a conflict (a phrase in two roles, or twice in one list).
 *
 * Phrases are written as space-separated tokens, matched against the sentence's lower-cased
 * word tokens (apostrophes removed, so "doesn't" -> "doesnt"). A token ending in `*` matches
 * any token with that prefix. Weights are rough strengths: 1 = weak hint, 2 = clear, 3 = decisive.
 *
 * None of these phrases is taken from the evaluation data: they are the ordinary vocabulary
 * of inspection judgements (see the codebook's own examples).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from '../util/paths.js';
import { EVIDENCE_KINDS, type EvidenceKind } from '../vocab/evidence.js';

export type Polarity = 'S' | 'I';

export interface CueDef {
  phrase: string;
  points: Polarity;
  weight: number;
  /** Evidence kind (default: cue, or comparative for the comparative cues). */
  kind?: EvidenceKind;
}

/** The shipped lexicon. */
export const DEFAULT_LEXICON_PATH = join(REPO_ROOT, 'data', 'lexicon.json');

const Phrase = z
  .string()
  .min(1)
  .refine((p) => p === p.trim().toLowerCase() && !/\s{2,}/.test(p), 'a phrase is lower-case words separated by single spaces')
  .refine((p) => p.split(' ').every((t) => !t.endsWith('*') || t.length >= 4), 'a prefix pattern needs at least three letters before "*"');
const Phrases = z.array(Phrase);
const Words = z.array(z.string().regex(/^[a-z]+$/, 'one lower-case word'));
const CueGroup = z.object({ weight: z.number().positive().max(5), kind: z.enum(EVIDENCE_KINDS).optional(), phrases: Phrases.min(1) }).strict();
const Pattern = z
  .object({ pattern: z.string().min(1), flags: z.string().regex(/^[gimsuy]*$/).default('') })
  .strict()
  .superRefine((p, ctx) => {
    try {
      new RegExp(p.pattern, p.flags);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `pattern does not compile: ${(e as Error).message}` });
    }
  });
const GradePattern = Pattern.and(z.object({ points: z.enum(['S', 'I']), value: z.string().min(1), weight: z.number().positive() }));

export const LexiconSchema = z
  .object({
    version: z.number().int().positive(),
    description: z.string().optional(),
    /** Positive evaluative cues (a negator in scope flips them to I). */
    strength: z.array(CueGroup).min(1),
    /** Negative evaluative cues (a negator in scope weakens or flips them to S). */
    improvement: z.array(CueGroup).min(1),
    /** Comparative and recommendation cues: something needs to change (always I, not subject to negation flipping). */
    comparative: z.array(CueGroup).min(1),
    /**
     * Negators. A positive cue within `negationScope` tokens after one of these is flipped to I
     * ("does not always receive timely ..."); a negative cue in scope is flipped to a weak S
     * ("without delay", "there is no drift"); with nothing in scope the negator itself is a weak I cue.
     */
    negators: Phrases.min(1),
    /** Tokens right after a negator that cancel it ("not only", "no longer", "no doubt"...). */
    negationCancel: Words,
    negationScope: z.number().int().min(1).max(20),
    /** I cues that also take a following positive cue into their scope ("not always timely", "too reliant"). */
    flippers: Phrases,
    /** Acting on a problem is good, acting against a good is bad ("reduces delay"; "prevents children from receiving timely help"). */
    reversers: Phrases,
    /** Phrases consumed before cue matching because they contain cue words used non-evaluatively ("as well as", "focused visit"). */
    neutral: Phrases,
    /** Boundary tokens that end a negation scope. */
    scopeBreak: Words,
    /** A negator or reverser right after one of these is a condition ("if this is not possible"), not a judgement. */
    conditionalWords: Words,
    /** "will" right after one of these is description ("what support they will get"), not a plan. */
    relativeWords: Words,
    /** Frequency adverbs directly before a negative cue intensify it ("consistently missed"). */
    intensifiers: Words,
    /** Auxiliaries that belong to a "not ..." improvement cue ("are not always", "has not yet"). */
    auxiliaries: Words,
    /** Quantifier hedges: `minority` turn a positive clause into I, `majority` keep it S, `strongMajority` make a bare description a strength. */
    hedges: z.object({ minority: Phrases, majority: Phrases, strongMajority: Phrases, some: Phrases }).strict(),
    /** Planning / work-under-way language: with no stronger cue the sentence is neutral. */
    planning: Phrases,
    /** Contrast markers that split a sentence into clauses; `concessive` markers introduce the weaker clause. */
    contrastMarkers: z.array(z.object({ word: Phrase, concessive: z.boolean() }).strict()).min(1),
    patterns: z
      .object({
        /** Headings whose items are areas for improvement. */
        improvementHeading: Pattern,
        /** Headings of boilerplate sections: everything under them is N. */
        boilerplateHeading: Pattern,
        /** Markers of a council committee paper (two or more put a document in the council register). */
        councilRegister: Pattern,
        /** Sentence-level boilerplate: these sentences are N. */
        boilerplate: z.array(Pattern),
        /** Grade words and judgement phrases: decisive on their own. */
        grades: z.array(GradePattern).min(1),
      })
      .strict(),
  })
  .strict();

export type LexiconData = z.infer<typeof LexiconSchema>;

/** Validate a parsed lexicon; throws naming up to ten bad entries, then any conflicts. */
export function validateLexicon(json: unknown, source = '<lexicon>'): LexiconData {
  const parsed = LexiconSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new Error(`tag lexicon ${source} is invalid:\n${lines.join('\n')}`);
  }
  const conflicts = lexiconConflicts(lexiconLists(parsed.data));
  if (conflicts.length) throw new Error(`tag lexicon ${source} has conflicts: ${conflicts.join('; ')}`);
  return parsed.data;
}

/** Read and validate a lexicon file. */
export function loadLexicon(path: string = DEFAULT_LEXICON_PATH): LexiconData {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`tag lexicon ${path} cannot be read: ${(e as Error).message}`);
  }
  return validateLexicon(json, path);
}

const cues = (groups: LexiconData['strength'], points: Polarity, kind?: EvidenceKind): CueDef[] =>
  groups.flatMap((g) => g.phrases.map((phrase) => ({ phrase, points, weight: g.weight, kind: g.kind ?? kind })));
const regex = (p: { pattern: string; flags: string }) => new RegExp(p.pattern, p.flags);

/** Every list of phrases the matcher compiles, by role (a phrase may have one role and appear once). */
export function lexiconLists(d: LexiconData): Record<string, readonly string[]> {
  const phrases = (g: LexiconData['strength']) => g.flatMap((x) => x.phrases);
  return {
    'strength cues': phrases(d.strength),
    'improvement cues': phrases(d.improvement),
    'comparative cues': phrases(d.comparative),
    negators: d.negators,
    'minority hedges': d.hedges.minority,
    'majority hedges': d.hedges.majority,
    "'some' hedges": d.hedges.some,
    'planning cues': d.planning,
    reversers: d.reversers,
    'neutral phrases': d.neutral,
  };
}

const LEXICON = loadLexicon();

export const STRENGTH_CUES: CueDef[] = cues(LEXICON.strength, 'S');
export const IMPROVEMENT_CUES: CueDef[] = cues(LEXICON.improvement, 'I');
export const COMPARATIVE_CUES: CueDef[] = cues(LEXICON.comparative, 'I', 'comparative');
export const NEGATORS: readonly string[] = LEXICON.negators;
export const NEGATION_CANCEL: readonly string[] = LEXICON.negationCancel;
export const NEG_SCOPE: number = LEXICON.negationScope;
export const FLIPPERS: readonly string[] = LEXICON.flippers;
export const REVERSERS: readonly string[] = LEXICON.reversers;
export const NEUTRAL_PHRASES: readonly string[] = LEXICON.neutral;
export const SCOPE_BREAK: readonly string[] = LEXICON.scopeBreak;
export const CONDITIONAL_WORDS: readonly string[] = LEXICON.conditionalWords;
export const RELATIVE_WORDS: readonly string[] = LEXICON.relativeWords;
export const INTENSIFIERS: readonly string[] = LEXICON.intensifiers;
export const AUXILIARIES: readonly string[] = LEXICON.auxiliaries;
export const HEDGE_MINORITY: readonly string[] = LEXICON.hedges.minority;
export const HEDGE_MAJORITY: readonly string[] = LEXICON.hedges.majority;
export const STRONG_MAJORITY: readonly string[] = LEXICON.hedges.strongMajority;
export const HEDGE_SOME: readonly string[] = LEXICON.hedges.some;
export const PLANNING_CUES: readonly string[] = LEXICON.planning;
export const CONTRAST_MARKERS: readonly { word: string; concessive: boolean }[] = LEXICON.contrastMarkers;
export const IMPROVEMENT_HEADING_RE: RegExp = regex(LEXICON.patterns.improvementHeading);
export const BOILERPLATE_HEADING_RE: RegExp = regex(LEXICON.patterns.boilerplateHeading);
export const COUNCIL_REGISTER_RE: RegExp = regex(LEXICON.patterns.councilRegister);
export const BOILERPLATE_RES: readonly RegExp[] = LEXICON.patterns.boilerplate.map(regex);
export const GRADE_RES: readonly { re: RegExp; points: Polarity; value: string; weight: number }[] = LEXICON.patterns.grades.map((g) => ({
  re: regex(g),
  points: g.points,
  value: g.value,
  weight: g.weight,
}));
export const LEXICON_LISTS: Readonly<Record<string, readonly string[]>> = lexiconLists(LEXICON);

/**
 * Conflicts in a lexicon: a phrase in two roles (only one of them could ever match, silently), or
 * twice in one list. The matcher refuses to compile a lexicon with any.
 */
export function lexiconConflicts(lists: Readonly<Record<string, readonly string[]>>): string[] {
  const where = new Map<string, string[]>();
  for (const [list, phrases] of Object.entries(lists)) {
    for (const p of phrases) {
      const key = p.trim().toLowerCase().replace(/\s+/g, ' ');
      if (!where.has(key)) where.set(key, []);
      where.get(key)!.push(list);
    }
  }
  const out: string[] = [];
  for (const [p, lists_] of where) {
    if (lists_.length < 2) continue;
    const distinct = [...new Set(lists_)];
    out.push(distinct.length === 1 ? `"${p}" is listed ${lists_.length} times in ${distinct[0]}` : `"${p}" is in ${distinct.join(' and ')}: a phrase takes one role`);
  }
  return out;
}

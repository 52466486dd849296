/**
 * What the learned sentence classifier sees: one list of named features per sentence, built from
 * the sentence, its place in the document and the rule layer's outcomes. Names are readable, so a
 * label's evidence can name the features that decided it.
 *
 * Feature families (the prefix before ':'):
 *  - `r`   rule outcomes for the sentence: cue kinds and strengths per clause, negation / hedge /
 *          contrast scope, grade words, section priors, the rule label (src/tag/rules.ts)
 *  - `u` `b`   word unigrams and bigrams (lower-cased tokens; trigrams added nothing on CV and cost a fifth of the time)
 *  - `f1` `f2`   the first word and the first two words
 *  - `p` `n`     the previous sentence's rule label and cues, the next sentence's rule label
 *  - `c`   in a sentence the rules split at a contrast marker, each word with its clause's role
 *          (`conc` the concessive side "although X", `contra` after "but / however", `main`)
 *  - `h`   words of the innermost heading above the sentence, `ha` of the headings above that one;
 *          `bk` the block kind (heading, list item...), `pbk` the previous sentence's
 *  - `len` `end` `shape`  length bucket, final character, digits / years / percentages / capitals
 *  - `reg` the document's register (inspection report or council paper)
 *  - `li`  words of the sentence that opens a list item's list ("The following areas for improvement were noted:")
 */
import { tokenize } from '../nlp/tokens.js';
import type { Sentence } from '../types.js';
import type { Register } from './context.js';
import type { ClauseScore } from './rules.js';

/** Version of the feature extraction; a model records it and refuses to load under another. */
export const FEATURE_SET = 'rules+ngrams+clauses+context+leadin/5';

const YEAR_RE = /\b(?:19|20)\d\d\b/;
const CAPS_RE = /^[A-Z][^a-z]*$/;
const HEADING_WORD_RE = /[^a-z0-9]+/;
/** Length buckets of 5 tokens, the last one open. */
const LENGTH_BUCKET = 5;
const MAX_LENGTH_BUCKET = 8;

/** The rule layer's features a neighbour passes on: its label and its cues. */
const passesToNext = (f: string) => f.startsWith('rule_') || f.startsWith('cue_');
const passesToPrevious = (f: string) => f.startsWith('rule_');

/** What the rule layer gives the features of one sentence. */
export interface RuleView {
  /** Rule outcome features (decideByRules). */
  features: readonly string[];
  clauses: readonly Pick<ClauseScore, 'text' | 'marker' | 'concessive'>[];
}

const clauseRole = (c: Pick<ClauseScore, 'marker' | 'concessive'>) => (c.concessive ? 'conc' : c.marker ? 'contra' : 'main');

/**
 * Features of every sentence of a document, in order, from the sentences and the rule layer's
 * view of each (computed once per sentence).
 */
export function documentFeatures(sentences: readonly Sentence[], rules: readonly RuleView[], register: Register): string[][] {
  const leads = leadIns(sentences);
  return sentences.map((s, k) => {
    const f = sentenceModelFeatures(s, rules[k]!, rules[k - 1]?.features, rules[k + 1]?.features, register, sentences[k - 1]);
    const lead = leads[k];
    if (lead !== undefined) {
      const seen = new Set(f);
      for (const w of new Set(sentences[lead]!.text.toLowerCase().split(HEADING_WORD_RE))) if (w && !seen.has(`${LEAD_PREFIX}${w}`)) f.push(`${LEAD_PREFIX}${w}`);
    }
    return f;
  });
}

const LEAD_PREFIX = 'li:';
/** How far back (in sentences) a list item looks for the sentence that introduces its list. */
export const MAX_LEAD_DISTANCE = 15;

/**
 * The lead-in of each list item: the sentence ending in a colon that opens its list ("Areas of
 * strength are summarised as:", "The following areas for improvement were noted:"), found by
 * walking back over the list's items in the same section. It plays the part a heading plays in an
 * inspection report ("Areas for improvement"), so its words become features of the items.
 */
export function leadIns(sentences: readonly Sentence[]): (number | undefined)[] {
  return sentences.map((s, k) => {
    if (!s.isListItem) return undefined;
    const section = s.sectionPath.at(-1);
    for (let j = k - 1; j >= 0 && k - j <= MAX_LEAD_DISTANCE; j--) {
      const p = sentences[j]!;
      if (p.sectionPath.at(-1) !== section || p.isHeading) return undefined;
      if (/:\s*$/.test(p.text)) return j;
      if (!p.isListItem) return undefined;
    }
    return undefined;
  });
}

export function sentenceModelFeatures(
  s: Sentence,
  view: RuleView,
  prev: readonly string[] | undefined,
  next: readonly string[] | undefined,
  register: Register,
  prevSentence?: Sentence,
): string[] {
  const rules = view.features;
  const f = new Set<string>();
  f.add('bias');
  for (const r of rules) f.add(`r:${r}`);
  const toks = s.tokens;
  for (let i = 0; i < toks.length; i++) {
    f.add(`u:${toks[i]}`);
    if (i >= 1) f.add(`b:${toks[i - 1]} ${toks[i]}`);
  }
  if (view.clauses.length > 1) for (const c of view.clauses) for (const w of tokenize(c.text)) f.add(`c:${clauseRole(c)} ${w}`);
  f.add(`f1:${toks[0] ?? ''}`);
  if (toks.length > 1) f.add(`f2:${toks[0]} ${toks[1]}`);
  if (prev) for (const r of prev) if (passesToNext(r)) f.add(`p:${r}`);
  if (next) for (const r of next) if (passesToPrevious(r)) f.add(`n:${r}`);
  f.add(`len:${Math.min(MAX_LENGTH_BUCKET, Math.floor(toks.length / LENGTH_BUCKET))}`);
  const t = s.text.trim();
  const last = t.at(-1) ?? '';
  f.add(`end:${/[a-z0-9]/i.test(last) ? 'w' : last}`);
  if (/\d/.test(t)) f.add('shape:digit');
  if (YEAR_RE.test(t)) f.add('shape:year');
  if (t.includes('%')) f.add('shape:percent');
  if (CAPS_RE.test(t)) f.add('shape:caps');
  f.add(`bk:${s.blockKind}`);
  if (prevSentence) f.add(`pbk:${prevSentence.blockKind}`);
  for (const x of headingFeatures(s.sectionPath)) f.add(x);
  f.add(`reg:${register}`);
  return [...f];
}

/** Heading features per section path, memoised: a section's sentences share them (and the strings' hashes). */
const headingMemo = new Map<string, readonly string[]>();
const MAX_HEADING_MEMO = 10_000;

function headingFeatures(path: readonly string[]): readonly string[] {
  const key = path.join('\u0000');
  let out = headingMemo.get(key);
  if (out) return out;
  const inner = new Set((path.at(-1) ?? '').toLowerCase().split(HEADING_WORD_RE));
  const list: string[] = [];
  for (const w of inner) if (w) list.push(`h:${w}`);
  const outer = new Set<string>();
  for (let k = 0; k < path.length - 1; k++) for (const w of path[k]!.toLowerCase().split(HEADING_WORD_RE)) if (w && !inner.has(w)) outer.add(w);
  for (const w of outer) list.push(`ha:${w}`);
  out = list;
  if (headingMemo.size >= MAX_HEADING_MEMO) headingMemo.clear();
  headingMemo.set(key, out);
  return out;
}

const FAMILY_WORDS: Record<string, string> = {
  r: 'rule',
  u: 'word',
  b: 'phrase',
  f1: 'starts with',
  f2: 'starts with',
  p: 'previous sentence',
  n: 'next sentence',
  h: 'heading word',
  ha: 'section word',
  c: 'clause word',
  bk: 'block',
  pbk: 'previous block',
  len: 'length (x5 words)',
  end: 'ends with',
  shape: 'shape',
  reg: 'register',
  li: 'list lead-in word',
};

/** A feature name in words a researcher can read: `phrase "not always"`, `heading word "improve"`. */
export function describeFeature(name: string): string {
  const c = name.indexOf(':');
  if (c < 0) return name === 'bias' ? 'base rate' : name;
  const fam = name.slice(0, c);
  const value = name.slice(c + 1);
  const words = FAMILY_WORDS[fam] ?? fam;
  return fam === 'r' || fam === 'p' || fam === 'n' || fam === 'bk' || fam === 'pbk' || fam === 'reg' || fam === 'shape' || fam === 'len' ? `${words}: ${value}` : `${words} "${value}"`;
}

/**
 * Segmentation agreement: how many annotated units (sentences / list items cut by a reader
 * from pdftotext output) map to exactly one pipeline sentence of the same document.
 *
 * Both sides are compared on normalised tokens (lower-cased letter/number runs, quotes and
 * ligatures folded: see compareTokens). A unit maps to exactly one sentence when some
 * sentence has the same token sequence ('exact') or, for table rows whose columns the two
 * extractions interleave differently, the same multiset of tokens ('reordered'). Every other
 * unit is a miss, classified to explain it:
 *  - 'split':     the pipeline cut the unit into several consecutive sentences;
 *  - 'within_one': the unit is a proper part of exactly one pipeline sentence and that sentence
 *                 holds no other whole unit: the eval cut a sentence at a page break that the
 *                 pipeline mends. It maps to exactly one sentence but is not token-identical;
 *  - 'merged':    the unit is part of one pipeline sentence that also holds another whole unit
 *                 (the pipeline failed to split);
 *  - 'furniture_mixed': the unit is page furniture glued to text (a running footer the
 *                 pipeline drops, followed by the rest of a sentence);
 *  - 'dropped':   no pipeline sentence holds the unit's tokens (page furniture the pipeline
 *                 removes, such as running headers and page numbers).
 */
import { compareTokens } from './text-agreement.js';

export interface AgreementUnit {
  doc: string;
  i: number;
  text: string;
}

export interface AgreementSentence {
  text: string;
}

export type MatchKind = 'exact' | 'reordered' | 'within_one' | 'split' | 'merged' | 'furniture_mixed' | 'dropped' | 'no_document';

export interface UnitMatch {
  doc: string;
  i: number;
  text: string;
  kind: MatchKind;
  /** Index of the matched (or containing) pipeline sentence, when there is one. */
  sentence?: number;
}

export interface AgreementResult {
  units: number;
  /** Units token-identical to one pipeline sentence (exact or reordered). */
  identical: number;
  /** identical / units */
  identicalRate: number;
  /** Units that map to exactly one pipeline sentence: identical + within_one. */
  matched: number;
  /** matched / units */
  rate: number;
  byKind: Record<MatchKind, number>;
  byDoc: Record<string, { units: number; matched: number }>;
  misses: UnitMatch[];
}

const key = (t: readonly string[]) => t.join(' ');
const bagKey = (t: readonly string[]) => [...t].sort().join(' ');

function indexOfSub(hay: readonly string[], needle: readonly string[]): number {
  if (needle.length === 0 || needle.length > hay.length) return -1;
  outer: for (let s = 0; s + needle.length <= hay.length; s++) {
    for (let k = 0; k < needle.length; k++) if (hay[s + k] !== needle[k]) continue outer;
    return s;
  }
  return -1;
}

/** Match the units of each document to that document's pipeline sentences. */
export function segmentationAgreement(
  units: readonly AgreementUnit[],
  sentencesByDoc: ReadonlyMap<string, readonly AgreementSentence[]>,
): AgreementResult {
  const byKind: Record<MatchKind, number> = {
    exact: 0,
    reordered: 0,
    within_one: 0,
    split: 0,
    merged: 0,
    furniture_mixed: 0,
    dropped: 0,
    no_document: 0,
  };
  const unitToks = new Map<string, string[][]>();
  for (const u of units) {
    if (!unitToks.has(u.doc)) unitToks.set(u.doc, []);
    unitToks.get(u.doc)!.push(compareTokens(u.text));
  }
  const byDoc: Record<string, { units: number; matched: number }> = {};
  const misses: UnitMatch[] = [];
  const prepared = new Map<string, { toks: string[][]; exact: Map<string, number>; bag: Map<string, number> }>();
  for (const [doc, sents] of sentencesByDoc) {
    const toks = sents.map((s) => compareTokens(s.text));
    const exact = new Map<string, number>();
    const bag = new Map<string, number>();
    toks.forEach((t, k) => {
      if (!exact.has(key(t))) exact.set(key(t), k);
      if (!bag.has(bagKey(t))) bag.set(bagKey(t), k);
    });
    prepared.set(doc, { toks, exact, bag });
  }
  let matched = 0;
  let identical = 0;
  for (const u of units) {
    byDoc[u.doc] ??= { units: 0, matched: 0 };
    byDoc[u.doc]!.units++;
    const p = prepared.get(u.doc);
    const ut = compareTokens(u.text);
    let m: UnitMatch;
    if (!p) m = { doc: u.doc, i: u.i, text: u.text, kind: 'no_document' };
    else if (p.exact.has(key(ut))) m = { doc: u.doc, i: u.i, text: u.text, kind: 'exact', sentence: p.exact.get(key(ut)) };
    else if (p.bag.has(bagKey(ut))) m = { doc: u.doc, i: u.i, text: u.text, kind: 'reordered', sentence: p.bag.get(bagKey(ut)) };
    else m = classifyMiss(u, ut, p.toks, unitToks.get(u.doc) ?? []);
    byKind[m.kind]++;
    if (m.kind === 'exact' || m.kind === 'reordered') identical++;
    if (m.kind === 'exact' || m.kind === 'reordered' || m.kind === 'within_one') {
      matched++;
      byDoc[u.doc]!.matched++;
    }
    if (m.kind !== 'exact' && m.kind !== 'reordered') misses.push(m);
  }
  return {
    units: units.length,
    identical,
    identicalRate: units.length ? identical / units.length : 1,
    matched,
    rate: units.length ? matched / units.length : 1,
    byKind,
    byDoc,
    misses,
  };
}

function classifyMiss(u: AgreementUnit, ut: string[], toks: string[][], docUnits: string[][]): UnitMatch {
  const base = { doc: u.doc, i: u.i, text: u.text };
  const holders: number[] = [];
  for (let k = 0; k < toks.length; k++) if (ut.length > 0 && indexOfSub(toks[k]!, ut) >= 0) holders.push(k);
  if (holders.length > 0) {
    // Within one sentence, unless every holder also holds another whole unit (a missed split).
    for (const k of holders) {
      const others = docUnits.filter((o) => o !== ut && o.length > 0 && key(o) !== key(ut) && indexOfSub(toks[k]!, o) >= 0);
      if (others.length === 0) return { ...base, kind: 'within_one', sentence: k };
    }
    return { ...base, kind: 'merged', sentence: holders[0] };
  }
  // Split: the unit starts with a whole sentence and continues with the next ones.
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.length === 0 || t.length >= ut.length || indexOfSub(ut, t) !== 0) continue;
    let pos = t.length;
    let j = k + 1;
    while (j < toks.length && pos < ut.length && indexOfSub(ut.slice(pos), toks[j]!) === 0 && toks[j]!.length > 0) {
      pos += toks[j]!.length;
      j++;
    }
    if (pos === ut.length || (j < toks.length && indexOfSub(toks[j]!, ut.slice(pos)) === 0)) return { ...base, kind: 'split', sentence: k };
  }
  // Furniture glued to text: some tail of the unit (at least 4 tokens) is the start of a sentence
  // or lies inside one.
  for (let cut = 1; cut <= ut.length - 4; cut++) {
    const tail = ut.slice(cut);
    for (let k = 0; k < toks.length; k++) if (indexOfSub(toks[k]!, tail) >= 0) return { ...base, kind: 'furniture_mixed', sentence: k };
  }
  return { ...base, kind: 'dropped' };
}

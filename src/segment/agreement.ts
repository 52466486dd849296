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
 *  - 'fragment':  the unit is a proper part of one pipeline sentence (e.g. the eval cut a
 *                 sentence at a page break, or merged two units the pipeline keeps whole);
 *  - 'furniture_mixed': the unit is page furniture glued to text (a running footer the
 *                 pipeline drops, followed by the rest of a sentence);
 *  - 'dropped':   no pipeline sentence holds the unit's tokens (page furniture the pipeline
 *                 removes, such as running headers and page numbers).
 */
import { compareTokens } from '../ingest/compare.js';

export interface AgreementUnit {
  doc: string;
  i: number;
  text: string;
}

export interface AgreementSentence {
  text: string;
}

export type MatchKind = 'exact' | 'reordered' | 'split' | 'fragment' | 'furniture_mixed' | 'dropped' | 'no_document';

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
  const byKind: Record<MatchKind, number> = { exact: 0, reordered: 0, split: 0, fragment: 0, furniture_mixed: 0, dropped: 0, no_document: 0 };
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
  for (const u of units) {
    byDoc[u.doc] ??= { units: 0, matched: 0 };
    byDoc[u.doc]!.units++;
    const p = prepared.get(u.doc);
    const ut = compareTokens(u.text);
    let m: UnitMatch;
    if (!p) m = { doc: u.doc, i: u.i, text: u.text, kind: 'no_document' };
    else if (p.exact.has(key(ut))) m = { doc: u.doc, i: u.i, text: u.text, kind: 'exact', sentence: p.exact.get(key(ut)) };
    else if (p.bag.has(bagKey(ut))) m = { doc: u.doc, i: u.i, text: u.text, kind: 'reordered', sentence: p.bag.get(bagKey(ut)) };
    else m = classifyMiss(u, ut, p.toks);
    byKind[m.kind]++;
    if (m.kind === 'exact' || m.kind === 'reordered') {
      matched++;
      byDoc[u.doc]!.matched++;
    } else misses.push(m);
  }
  return { units: units.length, matched, rate: units.length ? matched / units.length : 1, byKind, byDoc, misses };
}

function classifyMiss(u: AgreementUnit, ut: string[], toks: string[][]): UnitMatch {
  const base = { doc: u.doc, i: u.i, text: u.text };
  for (let k = 0; k < toks.length; k++) {
    if (indexOfSub(toks[k]!, ut) >= 0) return { ...base, kind: 'fragment', sentence: k };
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

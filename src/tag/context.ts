/**
 * A sentence's place in its document as the tagger reads it: the document's register (inspection
 * report or council paper) and the section priors of its heading path.
 */
import type { Sentence } from '../types.js';
import { BOILERPLATE_HEADING_RE, COUNCIL_REGISTER_RE, IMPROVEMENT_HEADING_RE } from './lexicon.js';
import { RULE_WEIGHTS } from './rules.js';

/** Structural context of a sentence (from the segmenter's fields). */
export interface TagContext {
  improvementSection?: string;
  boilerplateSection?: string;
  /** 'inspection' (Ofsted report / letter, the default) or 'council' (committee paper). */
  register?: Register;
}

export type Register = 'inspection' | 'council';

/** Council committee papers are recognised by their template (report to, wards affected...). */
export function detectRegister(sentences: Sentence[]): Register {
  let hits = 0;
  for (const s of sentences) {
    if (COUNCIL_REGISTER_RE.test(s.text) || (s.isHeading && COUNCIL_REGISTER_RE.test(s.text.trim()))) hits++;
    if (hits >= 2) return 'council';
  }
  return 'inspection';
}

/** Weight of a negation with nothing in its scope, by register. */
export const BARE_NEGATION: Record<Register, number> = { inspection: RULE_WEIGHTS.bareNegation, council: 0.5 };

const boilerplateHeadings = new Map<string, boolean>();

/**
 * A heading that names a boilerplate section (equalities, finance, legal, contact...). A parenthetical
 * does not count: "DETAIL (Including consultation carried out)" is the body of a committee paper.
 */
function isBoilerplateHeading(h: string): boolean {
  let v = boilerplateHeadings.get(h);
  if (v === undefined) {
    const bare = h.replace(/\([^)]*\)/g, ' ');
    v = BOILERPLATE_HEADING_RE.test(bare) && !IMPROVEMENT_HEADING_RE.test(bare);
    if (boilerplateHeadings.size > 10_000) boilerplateHeadings.clear();
    boilerplateHeadings.set(h, v);
  }
  return v;
}

/** Section priors from the heading path (innermost heading decides). */
export function contextOf(s: Sentence, register: Register = 'inspection'): TagContext {
  const ctx: TagContext = { register };
  const path = s.sectionPath;
  for (let k = path.length - 1; k >= 0; k--) {
    const h = path[k];
    if (!ctx.boilerplateSection && isBoilerplateHeading(h)) ctx.boilerplateSection = h;
  }
  const inner = path[path.length - 1];
  // In a committee paper "Recommendations" are decisions asked of members, not weaknesses.
  if (inner !== undefined && IMPROVEMENT_HEADING_RE.test(inner) && !(register === 'council' && /recommendation/i.test(inner))) ctx.improvementSection = inner;
  return ctx;
}

/** Feature names describing structure (used by the learned combiner and as evidence). */
export function structureFeatures(s: Sentence, ctx: TagContext): string[] {
  const f: string[] = [];
  if (s.isHeading) f.push('heading');
  if (s.isListItem) f.push('list_item');
  if (s.isQuote) f.push('quote');
  if (ctx.improvementSection) f.push('sec_improve');
  if (ctx.boilerplateSection) f.push('sec_boiler');
  return f;
}


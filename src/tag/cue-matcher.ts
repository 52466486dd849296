/**
 * The rule layer's phrase matcher: every lexicon phrase (cues, negators, hedges, reversers,
 * planning and neutral phrases; data/lexicon.json) compiled once into an index by first token
 * (and by three-letter head for prefix patterns), and a longest-match, left-to-right scan of a
 * clause's tokens. At equal length the stronger, evaluative entry wins.
 */
import type { EvidenceKind } from '../vocab/evidence.js';
import {
  AUXILIARIES,
  COMPARATIVE_CUES,
  FLIPPERS,
  HEDGE_MAJORITY,
  HEDGE_MINORITY,
  HEDGE_SOME,
  IMPROVEMENT_CUES,
  NEGATORS,
  NEUTRAL_PHRASES,
  PLANNING_CUES,
  REVERSERS,
  STRENGTH_CUES,
} from './lexicon.js';

/** Weight of a negator with nothing in its scope is set by the scorer; this is its weight as an entry. */
const NEGATOR_WEIGHT = 1.5;
/** N points of a planning / work-under-way phrase. */
const PLANNING_WEIGHT = 1.5;

export type EntryType = 'S' | 'I' | 'neg' | 'rev' | 'null' | 'hedgeMin' | 'hedgeMaj' | 'hedgeSome' | 'plan';

export interface Entry {
  phrase: string;
  toks: string[];
  type: EntryType;
  kind: EvidenceKind;
  weight: number;
  flipper: boolean;
}

export interface Match {
  entry: Entry;
  start: number;
  end: number; // exclusive
}

const FLIPPER_SET = new Set(FLIPPERS);

const AUX_RE = new RegExp(`^(?:${AUXILIARIES.join('|')}) (?=not )`);

function buildEntries(): Entry[] {
  const out: Entry[] = [];
  const add = (phrase: string, type: EntryType, kind: EvidenceKind, weight: number) =>
    out.push({ phrase, toks: phrase.split(' '), type, kind, weight, flipper: FLIPPER_SET.has(phrase.replace(AUX_RE, '')) });
  for (const c of STRENGTH_CUES) add(c.phrase, 'S', c.kind ?? 'cue', c.weight);
  for (const c of IMPROVEMENT_CUES) {
    add(c.phrase, 'I', c.kind ?? 'cue', c.weight);
    // "are not always", "has not yet": the auxiliary belongs to the cue, not to a bare negator.
    if (c.phrase.startsWith('not ')) for (const aux of AUXILIARIES) add(`${aux} ${c.phrase}`, 'I', c.kind ?? 'cue', c.weight);
  }
  for (const c of COMPARATIVE_CUES) add(c.phrase, 'I', c.kind ?? 'comparative', c.weight);
  for (const p of NEGATORS) add(p, 'neg', 'negation', NEGATOR_WEIGHT);
  for (const p of HEDGE_MINORITY) add(p, 'hedgeMin', 'hedge', 0);
  for (const p of HEDGE_MAJORITY) add(p, 'hedgeMaj', 'hedge', 0);
  for (const p of HEDGE_SOME) add(p, 'hedgeSome', 'hedge', 0);
  for (const p of PLANNING_CUES) add(p, 'plan', 'planning', PLANNING_WEIGHT);
  for (const p of REVERSERS) add(p, 'rev', 'negation', 0);
  for (const p of NEUTRAL_PHRASES) add(p, 'null', 'neutral', 0);
  return out;
}

const ENTRIES = buildEntries();
const EXACT = new Map<string, Entry[]>();
const PREFIX: { prefix: string; entries: Entry[] }[] = [];
for (const e of ENTRIES) {
  const first = e.toks[0];
  if (first.endsWith('*')) {
    const prefix = first.slice(0, -1);
    let slot = PREFIX.find((p) => p.prefix === prefix);
    if (!slot) PREFIX.push((slot = { prefix, entries: [] }));
    slot.entries.push(e);
  } else {
    if (!EXACT.has(first)) EXACT.set(first, []);
    EXACT.get(first)!.push(e);
  }
}
// Longest phrases first; for equal length, the stronger (and evaluative before function) entry.
const TYPE_RANK: Record<EntryType, number> = { null: -1, I: 0, S: 1, neg: 2, rev: 3, hedgeMin: 4, hedgeMaj: 5, hedgeSome: 6, plan: 7 };
const byPriority = (a: Entry, b: Entry) =>
  b.toks.length - a.toks.length || TYPE_RANK[a.type] - TYPE_RANK[b.type] || b.weight - a.weight;
for (const list of EXACT.values()) list.sort(byPriority);
for (const p of PREFIX) p.entries.sort(byPriority);
/** Prefix entries indexed by their first three letters (every prefix pattern has at least three). */
const PREFIX_BY_HEAD = new Map<string, { prefix: string; entries: Entry[] }[]>();
for (const p of PREFIX) {
  if (p.prefix.length < 3) throw new Error(`lexicon prefix pattern too short: ${p.prefix}*`);
  const head = p.prefix.slice(0, 3);
  if (!PREFIX_BY_HEAD.has(head)) PREFIX_BY_HEAD.set(head, []);
  PREFIX_BY_HEAD.get(head)!.push(p);
}

const tokMatches = (pattern: string, tok: string) =>
  pattern.endsWith('*') ? tok.startsWith(pattern.slice(0, -1)) : pattern === tok;

function matchAt(tokens: string[], pos: number, e: Entry): boolean {
  if (pos + e.toks.length > tokens.length) return false;
  for (let j = 0; j < e.toks.length; j++) if (!tokMatches(e.toks[j], tokens[pos + j])) return false;
  return true;
}

const NO_PREFIX: { prefix: string; entries: Entry[] }[] = [];

/** Longest-match, left-to-right scan of the lexicon over tokens. */
export function matchCues(tokens: string[]): Match[] {
  const out: Match[] = [];
  let pos = 0;
  while (pos < tokens.length) {
    const tok = tokens[pos];
    let best: Entry | undefined;
    const exact = EXACT.get(tok);
    if (exact) for (const e of exact) if (matchAt(tokens, pos, e)) { best = e; break; }
    for (const p of PREFIX_BY_HEAD.get(tok.slice(0, 3)) ?? NO_PREFIX) {
      if (!tok.startsWith(p.prefix)) continue;
      for (const e of p.entries) {
        if (best && byPriority(e, best) >= 0) break;
        if (matchAt(tokens, pos, e)) { best = e; break; }
      }
    }
    if (best) {
      out.push({ entry: best, start: pos, end: pos + best.toks.length });
      pos += best.toks.length;
    } else pos++;
  }
  return out;
}

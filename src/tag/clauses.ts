/**
 * Clause splitting for the rule layer: a sentence is cut at contrast markers ("but", "however",
 * "although" ...; data/lexicon.json) and semicolons, each clause knowing the marker that opened
 * it and whether it is the concessive (weaker) side.
 */
import { CONTRAST_MARKERS } from './lexicon.js';

export interface Clause {
  text: string;
  /** Contrast marker that introduced this clause ('' for the first / only clause). */
  marker: string;
  /** True when the clause is the concessive (subordinate) side: "although X", "despite X". */
  concessive: boolean;
}

const MARKER_ALT = CONTRAST_MARKERS.map((m) => m.word.replace(/ /g, '\\s+')).sort((a, b) => b.length - a.length).join('|');
const CONCESSIVE = new Set(CONTRAST_MARKERS.filter((m) => m.concessive).map((m) => m.word));
/** Sentence-initial concessive: "Although X, Y" / "Despite X, Y" / "While X, Y". */
const INITIAL_CONCESSIVE_RE = new RegExp(`^\\s*(${CONTRAST_MARKERS.filter((m) => m.concessive).map((m) => m.word.replace(/ /g, '\\s+')).join('|')})\\b([^,;]{3,}?)[,;]\\s*(.+)$`, 'is');
/** Sentence-initial discourse contrast ("However, ...", "But ...", "Nevertheless, ..."): dropped, noted. */
const INITIAL_DISCOURSE_RE = /^\s*(however|but|nevertheless|nonetheless|yet|conversely|in contrast)\b[,\s]*/i;
/** Internal contrast marker: after a comma/semicolon/dash, or "but"/"whereas"/"although" anywhere. */
const INTERNAL_RE = new RegExp(
  `(?:[,;:–—-]\\s*(${MARKER_ALT})\\b[,]?\\s*)|(?:\\s(but|whereas|although|though|however)\\b[,]?\\s+)`,
  'gi',
);
const BUT_ALSO_RE = /^\s*also\b/i;
/** "small but significant", "slow but steady": an adjective pair, not two clauses. */
const ADJ_BUT_RE = /\b(?:small|few|slight|limited|modest|brief|gradual|slow|steady|short|simple|clear|strong|firm|fair)\s*$/i;
/** Semicolons join independent judgements: treat as clause boundaries too. */
const SEMI_RE = /;\s+/;

function normMarker(m: string): string {
  return m.toLowerCase().replace(/\s+/g, ' ');
}

/** Split a sentence into clauses at contrast markers (and semicolons). */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let rest = text;
  let leadMarker = '';
  const d = INITIAL_DISCOURSE_RE.exec(rest);
  if (d) {
    leadMarker = normMarker(d[1]);
    rest = rest.slice(d[0].length);
  }
  const c = INITIAL_CONCESSIVE_RE.exec(rest);
  if (c && !leadMarker) {
    const marker = normMarker(c[1]);
    clauses.push({ text: c[2].trim(), marker, concessive: true });
    rest = c[3];
    leadMarker = '';
  }
  for (const semi of rest.split(SEMI_RE)) {
    let last = 0;
    let marker = clauses.length === 0 ? leadMarker : '';
    let concessive = false;
    INTERNAL_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = INTERNAL_RE.exec(semi))) {
      const word = normMarker(m[1] ?? m[2]);
      const after = semi.slice(m.index + m[0].length);
      if (word === 'but' && (BUT_ALSO_RE.test(after) || ADJ_BUT_RE.test(semi.slice(0, m.index)))) continue; // "not only ... but also", "small but significant"
      if ((word === 'yet' || word === 'while' || word === 'whilst' || word === 'except') && !/^[,;:–—-]/.test(m[0].trim())) continue;
      const piece = semi.slice(last, m.index).trim();
      if (piece.split(/\s+/).length >= 2) {
        clauses.push({ text: piece, marker, concessive });
        last = m.index + m[0].length;
      }
      // A one-word lead-in ("Often, while ...") stays with the clause the marker opens.
      marker = word;
      concessive = CONCESSIVE.has(word);
    }
    const tail = semi.slice(last).trim();
    if (tail) clauses.push({ text: tail, marker, concessive });
  }
  // An internal concessive clause ends at its first comma: "..., while X is good, Y is not".
  for (let k = 0; k < clauses.length; k++) {
    const cl = clauses[k];
    if (!cl.concessive) continue;
    const at = cl.text.toLowerCase().indexOf(cl.marker);
    const comma = cl.text.indexOf(',', at < 0 ? 0 : at + cl.marker.length);
    if (comma < 0) continue;
    const head = cl.text.slice(0, comma).trim();
    const rest2 = cl.text.slice(comma + 1).trim();
    if (head.split(/\s+/).length >= 2 && rest2.split(/\s+/).length >= 3) {
      clauses.splice(k, 1, { text: head, marker: cl.marker, concessive: true }, { text: rest2, marker: '', concessive: false });
      k++;
    }
  }
  if (clauses.length === 0) clauses.push({ text: text.trim(), marker: leadMarker, concessive: false });
  return clauses;
}

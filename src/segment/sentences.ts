/**
 * Sentence splitting: compromise's sentence splitter (fast path, no tagging) with the
 * abbreviations and numbering of inspection reports and council papers handled.
 */
import nlp from 'compromise/one';

interface World {
  model: { one: { abbreviations: Record<string, boolean> } };
  methods: { one: { tokenize: { splitSentences: (t: string, w: World) => string[] } } };
}
const world = nlp.world() as unknown as World;
const abbreviations = world.model.one.abbreviations;
// Domain abbreviations that never end a sentence in these documents.
for (const a of ['para', 'paras', 'cf', 'approx', 'incl', 'ref', 'refs', 'viz', 'nb', 'dr', 'mr', 'mrs', 'ms', 'prof', 'cllr', 'hon', 'vs', 'fig', 'ch', 'pp', 'eg', 'ie']) {
  abbreviations[a] = true;
}
// Compromise abbreviations that are ordinary sentence-final words here (SEN = special
// educational needs, "no", "min", ...): let sentences end on them.
for (const a of ['sen', 'sens', 'ma', 'md', 'pd', 'lit', 'ca', 'ad', 'al', 'res', 'rep', 'reps', 'gen', 'det', 'col', 'min', 'temp', 'ver', 'vet', 'inf', 'est', 'ex', 'fr', 'mi', 'pt', 'sec', 'etc', 'dec', 'mar', 'may', 'jun', 'jan', 'aug', 'oct', 'nov', 'sept', 'sep', 'feb', 'apr', 'jul', 'co', 'st', 'mt', 'dist', 'cal', 'pa', 'ga', 'va', 'wis', 'ariz', 'tex', 'ida', 'ia', 'kan', 'ut', 'vt', 'wy', 'fl', 'ft', 'pl', 'qt', 'sq', 'bl', 'ba', 'arc', 'cl']) {
  delete abbreviations[a];
}
const split = world.methods.one.tokenize.splitSentences;

/** After a closing quote: "... harm.’ Next" — compromise keeps these together. */
const QUOTE_BOUNDARY = /(?<=[.!?]['’"”)])\s+(?=['‘“"(]?[A-Z])/;
const QUOTE_BOUNDARY_TEST = /[.!?]['’"”)]\s+['‘“"(]?[A-Z]/;
/** A chunk that cannot start a sentence: lower-case start, or a continuing number. */
const CONTINUATION_START = /^(?:[a-z]|\d+(?:\.\d+)*[^\s.]|[,;:)\]])/;
/** A chunk that is only a number, marker or bracketed reference. */
const NO_LETTERS = /^[^\p{L}]*$/u;
/** Chunk ends with a domain abbreviation or numbering that does not end a sentence ("para 4.", "No."). */
const NON_FINAL_END = /(?:\b(?:para|paras|p|pp|ch|vol|fig|op|cf|approx|incl|ref)\.)\s*$/i;
const WS = /\s+/g;

/** Split a block's text into sentences. */
export function splitSentences(text: string): string[] {
  const clean = text.replace(WS, ' ').trim();
  if (!clean) return [];
  if (clean.length < 25 && !/[.!?]\s/.test(clean)) return [clean];
  const raw = split(clean, world);
  const chunks: string[] = [];
  for (const r of raw) {
    const t = r.trim();
    if (!t) continue;
    if (QUOTE_BOUNDARY_TEST.test(t)) {
      for (const p of t.split(QUOTE_BOUNDARY)) if (p.trim()) chunks.push(p.trim());
    } else chunks.push(t);
  }
  const out: string[] = [];
  for (const c of chunks) {
    const prev = out[out.length - 1];
    if (prev !== undefined && (CONTINUATION_START.test(c) || NO_LETTERS.test(prev) || NON_FINAL_END.test(prev))) {
      out[out.length - 1] = `${prev} ${c}`;
    } else if (prev !== undefined && NO_LETTERS.test(c) && c.length <= 12) {
      out[out.length - 1] = `${prev} ${c}`;
    } else out.push(c);
  }
  return out;
}

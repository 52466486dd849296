/**
 * Line-end de-hyphenation: "informa-" + "tion" becomes "information" only when the joined
 * form is a word (an English word list, or the document itself uses it unhyphenated);
 * otherwise the hyphen stays ("co-" + "location" -> "co-location").
 */
import { createRequire } from 'node:module';

/**
 * The word list (~275k words), loaded on the first line-end hyphen. It ships sorted (checked on
 * load), so lookups are a binary search over the array: building a Set of it cost ~0.1-0.4 s of
 * CPU in every worker thread.
 */
interface WordList {
  has(word: string): boolean;
}
let dictionary: WordList | undefined;
function dict(): WordList {
  if (!dictionary) {
    const require = createRequire(import.meta.url);
    const words = require('an-array-of-english-words') as string[];
    let sorted = true;
    for (let i = 1; i < words.length && sorted; i++) sorted = words[i - 1]! < words[i]!;
    dictionary = sorted ? { has: (w) => binaryHas(words, w) } : new Set(words);
  }
  return dictionary;
}

function binaryHas(sorted: string[], w: string): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === w) return true;
    if (v < w) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

const PREFIXES = new Set([
  're', 'co', 'pre', 'non', 'multi', 'anti', 'post', 'sub', 'inter', 'over', 'under', 'self', 'well', 'cross', 'semi',
  'step', 'ex', 'de', 'mis', 'mid', 'out', 'up', 'off', 'on', 'in', 'long', 'short', 'full', 'part', 'half', 'high', 'low',
  'pro', 'counter', 'extra', 'intra', 'socio', 'psycho', 'bio', 'tri', 'bi', 'cyber', 'e',
]);
const TRAILING_PART = /([A-Za-z]+)-$/;
const LEADING_PART = /^([a-z]+)/;

/** Join two wrapped lines, de-hyphenating where the joined word is a word. */
export function joinWrapped(a: string, b: string, docWords?: ReadonlySet<string>): string {
  const j = joint(a, b, docWords);
  return (j.trimHyphen ? a.slice(0, -1) : a) + j.sep + b;
}

/**
 * How line `b` attaches to the text ending in `a` (only the end of `a` is read, so callers can
 * pass the last line of a long paragraph): drop a's final hyphen or not, and the separator.
 */
export function joint(a: string, b: string, docWords?: ReadonlySet<string>): { trimHyphen: boolean; sep: string } {
  if (!a || !b) return { trimHyphen: false, sep: '' };
  const tail = a.length > 80 ? a.slice(-80) : a;
  const j = joinDecision(tail, b, docWords);
  return j;
}

function joinDecision(a: string, b: string, docWords?: ReadonlySet<string>): { trimHyphen: boolean; sep: string } {
  const tm = TRAILING_PART.exec(a);
  if (tm && !/\s-$/.test(a)) {
    const lm = LEADING_PART.exec(b);
    if (lm) {
      const joined = (tm[1]! + lm[1]!).toLowerCase();
      const hyphenated = `${tm[1]!}-${lm[1]!}`.toLowerCase();
      const left = tm[1]!.toLowerCase();
      const right = lm[1]!.toLowerCase();
      let dehyphenate: boolean;
      if (docWords?.has(joined)) dehyphenate = true;
      else if (docWords?.has(hyphenated)) dehyphenate = false;
      else if (!dict().has(joined)) dehyphenate = false;
      // "re-" + "investment", "child-" + "centred": a prefix or a word on the left and a word on
      // the right is a real compound, even when the joined form is also a word.
      else dehyphenate = !((PREFIXES.has(left) || (left.length >= 3 && dict().has(left))) && right.length >= 3 && dict().has(right));
      return { trimHyphen: dehyphenate, sep: '' };
    }
    return { trimHyphen: false, sep: '' }; // "child-" + "Led" or digits: keep the hyphen, no space
  }
  return { trimHyphen: false, sep: ' ' };
}

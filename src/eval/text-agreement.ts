/**
 * Token-sequence agreement between two extractions of the same text (pdfjs vs pdftotext):
 * F1 from the longest common subsequence of normalised word tokens, page by page.
 */

const NORM_TOKEN = /[\p{L}\p{N}]+/gu;
const FOLD: Record<string, string> = { '‘': "'", '’': "'", '“': '"', '”': '"', 'ﬁ': 'fi', 'ﬂ': 'fl', 'ﬀ': 'ff', 'ﬃ': 'ffi' };
const FOLD_RE = /[‘’“”ﬁﬂﬀﬃ]/g;

/** Lower-cased letter/number runs, ligatures and quotes folded. */
export function compareTokens(text: string): string[] {
  return text
    .replace(FOLD_RE, (c) => FOLD[c] ?? c)
    .toLowerCase()
    .match(NORM_TOKEN) ?? [];
}

/** Length of the longest common subsequence (O(n*m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const m = b.length;
  let prev = new Uint32Array(m + 1);
  let cur = new Uint32Array(m + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= m; j++) {
      cur[j] = ai === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m]!;
}

export interface SequenceAgreement {
  /** Tokens in the reference / candidate. */
  reference: number;
  candidate: number;
  common: number;
  precision: number;
  recall: number;
  f1: number;
}

export function sequenceAgreement(reference: readonly string[], candidate: readonly string[]): SequenceAgreement {
  const common = lcsLength(reference, candidate);
  const precision = candidate.length ? common / candidate.length : reference.length ? 0 : 1;
  const recall = reference.length ? common / reference.length : candidate.length ? 0 : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { reference: reference.length, candidate: candidate.length, common, precision, recall, f1 };
}

/**
 * Compare page texts. Sums LCS page by page (a page lost, duplicated or shifted shows up as
 * a drop in F1) and reports the worst page.
 */
export function comparePages(reference: readonly string[], candidate: readonly string[]) {
  let ref = 0;
  let cand = 0;
  let common = 0;
  let worstPage = 0;
  let worstF1 = 1;
  const n = Math.max(reference.length, candidate.length);
  for (let p = 0; p < n; p++) {
    const a = compareTokens(reference[p] ?? '');
    const b = compareTokens(candidate[p] ?? '');
    const s = sequenceAgreement(a, b);
    ref += s.reference;
    cand += s.candidate;
    common += s.common;
    if (s.f1 < worstF1 && (s.reference > 0 || s.candidate > 0)) {
      worstF1 = s.f1;
      worstPage = p + 1;
    }
  }
  const precision = cand ? common / cand : 1;
  const recall = ref ? common / ref : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { pagesReference: reference.length, pagesCandidate: candidate.length, reference: ref, candidate: cand, common, precision, recall, f1, worstPage, worstF1 };
}

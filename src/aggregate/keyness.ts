/**
 * Keyness: how much more often a term occurs in a target part of a corpus than in the rest.
 * Dunning's log-likelihood G² for the 2x2 table (term / not term x target / reference) says how
 * sure the difference is; the log ratio of the two relative frequencies says how large it is.
 */

/** G² for a term seen `a` times in `n1` target units and `b` times in `n2` reference units (0 when either part is empty). */
export function logLikelihood(a: number, n1: number, b: number, n2: number): number {
  if (n1 <= 0 || n2 <= 0) return 0;
  const total = a + b;
  const e1 = (n1 * total) / (n1 + n2);
  const e2 = (n2 * total) / (n1 + n2);
  // Both cells of "not the term" enter too (the full 2x2 table), which matters when the term is common.
  const na = n1 - a;
  const nb = n2 - b;
  const f1 = n1 - e1;
  const f2 = n2 - e2;
  const term = (o: number, e: number) => (o > 0 && e > 0 ? o * Math.log(o / e) : 0);
  return 2 * (term(a, e1) + term(b, e2) + term(na, f1) + term(nb, f2));
}

/** log2 of the ratio of relative frequencies, with 0.5 added to each count (so a term absent from the reference has a finite ratio). */
export function logRatio(a: number, n1: number, b: number, n2: number): number {
  return Math.log2((a + 0.5) / (n1 + 0.5) / ((b + 0.5) / (n2 + 0.5)));
}

/** G² at 1 degree of freedom for p < 0.05, 0.01 and 0.001. */
export const CRITICAL_G2 = { p05: 3.84, p01: 6.63, p001: 10.83 } as const;

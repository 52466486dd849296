/**
 * Uncertainty of a share: the Wilson score interval of k successes in n trials. Unlike the
 * normal approximation it stays inside [0, 1] and is usable at the small counts a council × theme
 * cell often has (a share of 1 of 2 is anything from 9% to 91%).
 */

/** z of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** The Wilson score interval of k of n (null when n = 0). */
export function wilson(k: number, n: number, z: number = Z95): Interval | null {
  if (!(n > 0) || k < 0 || k > n) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Where a share stands against a reference value (a median): only where its interval says so. */
export type Comparison = 'higher' | 'lower' | 'similar';

export function compareWith(interval: Interval | null, reference: number | null): Comparison | null {
  if (!interval || reference === null) return null;
  if (interval.low > reference) return 'higher';
  if (interval.high < reference) return 'lower';
  return 'similar';
}

/** Cells with fewer evaluative findings than this are marked and left out of ranks and medians (`--min-findings`). */
export const DEFAULT_MIN_FINDINGS = 5;

/**
 * Benchmarking: per theme, each council's improvement share, its rank among councils, the
 * median across councils and (with a neighbour table) the median of its statistical
 * neighbours present in the corpus. An optional focus council is highlighted everywhere.
 */
import { UserError } from '../util/errors.js';
import type { Aggregates } from './index.js';
import { compareWith, DEFAULT_MIN_FINDINGS, type Comparison } from './interval.js';
import { findPeerEntry, type PeerTable } from './peers.js';
import { nearestCouncil, normaliseCouncilName } from '../vocab/councils.js';

export interface BenchmarkOptions {
  /** Council name (any spelling the name matcher accepts) or ONS code. */
  focus?: string;
  peers?: PeerTable;
  /** Cells with fewer evaluative findings are marked low-count and left out of ranks and medians (default DEFAULT_MIN_FINDINGS). */
  minFindings?: number;
}

export interface BenchmarkRow {
  theme: string;
  council: string;
  onsCode: string;
  /** Evaluative findings of the council on the theme. */
  themeEvaluative: number;
  improvementShare: number | null;
  /** 95% Wilson interval of the share (null without findings). */
  improvementLow: number | null;
  improvementHigh: number | null;
  /** Fewer than minFindings evaluative findings: not ranked, not in the medians, no flags. */
  lowCount: boolean;
  /** 1 = highest improvement share among councils with at least minFindings; ties share the best rank; null otherwise. */
  rank: number | null;
  /** Councils with at least minFindings findings on the theme (the ranking's size). */
  councilsRanked: number;
  /** Median improvement share across the ranked councils. */
  medianAll: number | null;
  /** Whether the share's interval lies above or below the median of all councils, or spans it (null: low count or no median). */
  vsMedian: Comparison | null;
  /** Median improvement share of this council's statistical neighbours in the corpus with at least minFindings findings on the theme. */
  peerMedian: number | null;
  peersWithData: number;
  /** The same against the neighbours' median. */
  vsPeers: Comparison | null;
  isFocus: boolean;
  /** A statistical neighbour of the focus council. */
  isPeer: boolean;
}

export interface Benchmark {
  focus: string | null;
  /** Focus council's neighbours present in the corpus (names, sorted). */
  focusPeers: string[];
  /** Focus council's neighbours in the table (all of them, in the corpus or not). */
  focusPeersInTable: number;
  /** Council -> its statistical neighbours present in the corpus (only with a peers table). */
  neighbours: Record<string, string[]>;
  /** Councils of the corpus that the peers table has no row for. */
  unmatched: string[];
  peersSource: string | null;
  /** The minimum count a cell needs to be ranked. */
  minFindings: number;
  rows: BenchmarkRow[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Resolve a user-given council (name or ONS code) to a council of the corpus; UserError when none matches. */
export function resolveCouncil(agg: Pick<Aggregates, 'councilInfo'>, given: string): string {
  const want = given.trim();
  const code = want.toUpperCase();
  const byCode = agg.councilInfo.find((c) => c.onsCode && c.onsCode.toUpperCase() === code);
  if (byCode) return byCode.council;
  const norm = normaliseCouncilName(want);
  const byName = agg.councilInfo.filter((c) => normaliseCouncilName(c.council) === norm);
  if (byName.length === 1) return byName[0].council;
  const names = agg.councilInfo.map((c) => c.council);
  const near = nearestCouncil(want, names);
  const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, ... (${names.length} in all)` : '');
  throw new UserError(`--focus "${given}" matches no council in the corpus${near ? `; did you mean --focus "${near}"?` : ''} (councils: ${shown}; all are in documents.csv)`);
}

export function benchmark(agg: Aggregates, opts: BenchmarkOptions = {}): Benchmark {
  const focus = opts.focus !== undefined ? resolveCouncil(agg, opts.focus) : null;
  const minFindings = opts.minFindings ?? DEFAULT_MIN_FINDINGS;
  const neighbours: Record<string, string[]> = {};
  const unmatched: string[] = [];
  let focusPeersInTable = 0;
  if (opts.peers) {
    const table = opts.peers;
    const councilOfEntry = new Map<string, string>();
    const entryOf = new Map<string, ReturnType<typeof findPeerEntry>>();
    for (const c of agg.councilInfo) {
      const e = findPeerEntry(table, c.council, c.onsCode);
      entryOf.set(c.council, e);
      if (e) councilOfEntry.set(e.laCode, c.council);
      else unmatched.push(c.council);
    }
    for (const c of agg.councilInfo) {
      const e = entryOf.get(c.council);
      neighbours[c.council] = e ? [...new Set(e.neighbours.map((code) => councilOfEntry.get(code)).filter((n): n is string => !!n && n !== c.council))].sort(cmp) : [];
      if (c.council === focus && e) focusPeersInTable = e.neighbours.length;
    }
  }
  const focusPeers = focus ? (neighbours[focus] ?? []) : [];
  const peerSet = new Set(focusPeers);
  const rows: BenchmarkRow[] = [];
  for (const theme of agg.themes) {
    const mine = agg.councilThemes.filter((r) => r.theme === theme);
    const ranked = (r: (typeof mine)[number]) => r.improvementShare !== null && r.themeEvaluative >= minFindings;
    const shareOf = new Map(mine.filter(ranked).map((r) => [r.council, r.improvementShare!]));
    const withData = [...shareOf.values()];
    const medianAll = median(withData);
    for (const r of mine) {
      const share = r.improvementShare;
      const isRanked = ranked(r);
      const rank = isRanked ? 1 + withData.filter((v) => v > share!).length : null;
      const peerShares = (neighbours[r.council] ?? []).map((n) => shareOf.get(n)).filter((v): v is number => v !== undefined);
      const peerMedian = median(peerShares);
      const interval = r.improvementLow === null || r.improvementHigh === null ? null : { low: r.improvementLow, high: r.improvementHigh };
      rows.push({
        theme,
        council: r.council,
        onsCode: r.onsCode,
        themeEvaluative: r.themeEvaluative,
        improvementShare: share,
        improvementLow: r.improvementLow,
        improvementHigh: r.improvementHigh,
        lowCount: r.themeEvaluative < minFindings,
        rank,
        councilsRanked: withData.length,
        medianAll,
        vsMedian: isRanked ? compareWith(interval, medianAll) : null,
        peerMedian,
        peersWithData: peerShares.length,
        vsPeers: isRanked ? compareWith(interval, peerMedian) : null,
        isFocus: r.council === focus,
        isPeer: peerSet.has(r.council),
      });
    }
  }
  return { focus, focusPeers, focusPeersInTable, neighbours, unmatched: unmatched.sort(cmp), peersSource: opts.peers?.source ?? null, minFindings, rows };
}

/**
 * Change over time: per council and theme, the improvement share in each of its inspections and the
 * change from the previous one (with the sentences behind both, and Newcombe's interval for the
 * difference); and national trends: per theme, how often it is raised and its improvement share by
 * year and by framework. Both look across the comparison window, at every inspection.
 */
import type { DocumentFinding } from '../types.js';
import { isFullInspection } from '../vocab/documents.js';
import type { InspectionRecord } from './inspections.js';
import { wilson, type Interval } from './interval.js';
import { inspectionDate } from './window.js';

/** Evaluative findings of one inspection on one theme (each repeated finding once). */
interface Cell {
  n: number;
  /** Areas for improvement + mixed. */
  k: number;
  sentences: string[];
}

/** inspection id -> theme -> cell. */
export type InspectionThemeCells = Map<string, Map<string, Cell>>;

export function inspectionThemeCells(findings: readonly DocumentFinding[], inspectionOf: Readonly<Record<string, string>>, duplicateOf: Readonly<Record<string, string>>): InspectionThemeCells {
  const out: InspectionThemeCells = new Map();
  for (const f of findings) {
    if (f.code === 'N' || f.id in duplicateOf) continue;
    const id = inspectionOf[f.doc] ?? f.doc;
    let byTheme = out.get(id);
    if (!byTheme) out.set(id, (byTheme = new Map()));
    for (const t of f.themes) {
      let c = byTheme.get(t.theme);
      if (!c) byTheme.set(t.theme, (c = { n: 0, k: 0, sentences: [] }));
      c.n++;
      if (f.code !== 'S') c.k++;
      c.sentences.push(f.id);
    }
  }
  return out;
}

/** Newcombe's hybrid score interval (his method 10) for the difference of two proportions, p1 - p2. */
export function differenceInterval(k1: number, n1: number, k2: number, n2: number): Interval | null {
  const a = wilson(k1, n1);
  const b = wilson(k2, n2);
  if (!a || !b) return null;
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const d = p1 - p2;
  return { low: d - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2), high: d + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2) };
}

export type Direction = 'improved' | 'deteriorated' | 'no clear change';

export interface ChangeRow {
  council: string;
  onsCode: string;
  theme: string;
  previous: string;
  previousDate: string;
  previousKind: string;
  current: string;
  currentDate: string;
  currentKind: string;
  previousFindings: number;
  previousShare: number | null;
  currentFindings: number;
  currentShare: number | null;
  /** currentShare - previousShare (null unless both have findings). */
  change: number | null;
  changeLow: number | null;
  changeHigh: number | null;
  /** A fall in the improvement share is an improvement; named only where the interval excludes no change. */
  direction: Direction | null;
  previousSentences: string[];
  currentSentences: string[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Ofsted inspections (not council papers or news on their own) with a date, per council, in date order: a council's timeline. */
export function inspectionsByCouncil(records: readonly InspectionRecord[]): Map<string, InspectionRecord[]> {
  const out = new Map<string, InspectionRecord[]>();
  for (const r of records) {
    if (r.kind === 'council_report' || r.kind === 'news' || r.kind === 'other' || inspectionDate(r) === '') continue;
    if (!out.has(r.council)) out.set(r.council, []);
    out.get(r.council)!.push(r);
  }
  for (const list of out.values()) list.sort((a, b) => cmp(inspectionDate(a), inspectionDate(b)) || cmp(a.id, b.id));
  return out;
}

/** For each council with two or more inspections, per theme, each inspection against the one before. */
export function changesOverTime(records: readonly InspectionRecord[], cells: InspectionThemeCells, themes: readonly string[]): ChangeRow[] {
  const rows: ChangeRow[] = [];
  for (const [council, list] of [...inspectionsByCouncil(records)].sort(([a], [b]) => cmp(a, b))) {
    for (let k = 1; k < list.length; k++) {
      const prev = list[k - 1]!;
      const cur = list[k]!;
      for (const theme of themes) {
        const a = cells.get(prev.id)?.get(theme) ?? { n: 0, k: 0, sentences: [] };
        const b = cells.get(cur.id)?.get(theme) ?? { n: 0, k: 0, sentences: [] };
        if (a.n === 0 && b.n === 0) continue;
        const d = a.n && b.n ? b.k / b.n - a.k / a.n : null;
        const ci = differenceInterval(b.k, b.n, a.k, a.n);
        rows.push({
          council,
          onsCode: cur.onsCode || prev.onsCode,
          theme,
          previous: prev.id,
          previousDate: inspectionDate(prev),
          previousKind: prev.kind,
          current: cur.id,
          currentDate: inspectionDate(cur),
          currentKind: cur.kind,
          previousFindings: a.n,
          previousShare: a.n ? a.k / a.n : null,
          currentFindings: b.n,
          currentShare: b.n ? b.k / b.n : null,
          change: d,
          changeLow: ci?.low ?? null,
          changeHigh: ci?.high ?? null,
          direction: ci ? (ci.high < 0 ? 'improved' : ci.low > 0 ? 'deteriorated' : 'no clear change') : null,
          previousSentences: a.sentences,
          currentSentences: b.sentences,
        });
      }
    }
  }
  return rows;
}

export interface TrendRow {
  /** 'year' (of the first day on site) or 'framework'. */
  by: 'year' | 'framework';
  group: string;
  theme: string;
  /** Full inspections in the group. */
  inspections: number;
  /** Of them, those with at least one evaluative finding on the theme. */
  raising: number;
  findings: number;
  /** Areas for improvement + mixed. */
  improvements: number;
  improvementShare: number | null;
  improvementLow: number | null;
  improvementHigh: number | null;
}

/** Records grouped by a key (empty keys left out), groups sorted by key. */
export function groupRecords(records: readonly InspectionRecord[], key: (r: InspectionRecord) => string): [string, InspectionRecord[]][] {
  const m = new Map<string, InspectionRecord[]>();
  for (const r of records) {
    const g = key(r);
    if (!g) continue;
    if (!m.has(g)) m.set(g, []);
    m.get(g)!.push(r);
  }
  return [...m].sort(([a], [b]) => cmp(a, b));
}

/** A theme's findings pooled over some inspections: how many raise it, findings, improvements (+ mixed). */
export function poolTheme(members: readonly InspectionRecord[], cells: InspectionThemeCells, theme: string): { raising: number; n: number; k: number } {
  let raising = 0;
  let n = 0;
  let k = 0;
  for (const r of members) {
    const c = cells.get(r.id)?.get(theme);
    if (!c || c.n === 0) continue;
    raising++;
    n += c.n;
    k += c.k;
  }
  return { raising, n, k };
}

/** Per theme, by year and by framework, over the full inspections (visits and papers are not comparable across years). */
export function nationalTrends(records: readonly InspectionRecord[], cells: InspectionThemeCells, themes: readonly string[]): TrendRow[] {
  const full = records.filter((r) => isFullInspection(r.kind) && inspectionDate(r) !== '');
  const groups = [
    ...groupRecords(full, (r) => inspectionDate(r).slice(0, 4)).map(([group, members]) => ({ by: 'year' as const, group, members })),
    ...groupRecords(full, (r) => r.framework).map(([group, members]) => ({ by: 'framework' as const, group, members })),
  ];
  const rows: TrendRow[] = [];
  for (const g of groups) {
    for (const theme of themes) {
      const { raising, n, k } = poolTheme(g.members, cells, theme);
      const ci = wilson(k, n);
      rows.push({ by: g.by, group: g.group, theme, inspections: g.members.length, raising, findings: n, improvements: k, improvementShare: n ? k / n : null, improvementLow: ci?.low ?? null, improvementHigh: ci?.high ?? null });
    }
  }
  return rows;
}

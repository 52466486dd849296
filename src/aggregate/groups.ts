/**
 * Groups: the window's inspections pooled by region and by their overall grade, per theme, with
 * 95% intervals; and which themes most separate inspections judged inadequate or requiring
 * improvement from those judged good or outstanding (the difference of improvement shares, with
 * Newcombe's interval), so a policy officer can see what distinguishes weaker services.
 */
import type { Grade } from '../types.js';
import type { InspectionRecord } from './inspections.js';
import { wilson } from './interval.js';
import { differenceInterval, groupRecords, poolTheme, type InspectionThemeCells } from './over-time.js';

export interface GroupRow {
  /** 'region', 'grade', or 'grade_contrast' (weaker minus stronger grades). */
  by: 'region' | 'grade' | 'grade_contrast';
  group: string;
  theme: string;
  inspections: number;
  findings: number;
  /** Areas for improvement + mixed. */
  improvements: number;
  /** The group's improvement share; for 'grade_contrast' the difference of the two groups' shares. */
  share: number | null;
  low: number | null;
  high: number | null;
}

const WEAKER: ReadonlySet<Grade> = new Set(['inadequate', 'requires_improvement']);
const STRONGER: ReadonlySet<Grade> = new Set(['good', 'outstanding']);
export const GRADE_CONTRAST = 'inadequate or requires improvement minus good or outstanding';

/** Per theme, the window's inspections by region and by overall grade, and the grade contrast (sorted by theme, then group). */
export function groupComparisons(inWindow: readonly InspectionRecord[], cells: InspectionThemeCells, themes: readonly string[]): GroupRow[] {
  const rows: GroupRow[] = [];
  const regions = groupRecords(inWindow, (r) => r.region);
  const grades = groupRecords(inWindow, (r) => r.overallGrade);
  const weaker = inWindow.filter((r) => r.overallGrade && WEAKER.has(r.overallGrade));
  const stronger = inWindow.filter((r) => r.overallGrade && STRONGER.has(r.overallGrade));
  for (const theme of themes) {
    for (const [by, groups] of [['region', regions], ['grade', grades]] as const) {
      for (const [group, members] of groups) {
        const { n, k } = poolTheme(members, cells, theme);
        const ci = wilson(k, n);
        rows.push({ by, group, theme, inspections: members.length, findings: n, improvements: k, share: n ? k / n : null, low: ci?.low ?? null, high: ci?.high ?? null });
      }
    }
    if (weaker.length && stronger.length) {
      const a = poolTheme(weaker, cells, theme);
      const b = poolTheme(stronger, cells, theme);
      const ci = differenceInterval(a.k, a.n, b.k, b.n);
      rows.push({
        by: 'grade_contrast',
        group: GRADE_CONTRAST,
        theme,
        inspections: weaker.length + stronger.length,
        findings: a.n + b.n,
        improvements: a.k + b.k,
        share: a.n && b.n ? a.k / a.n - b.k / b.n : null,
        low: ci?.low ?? null,
        high: ci?.high ?? null,
      });
    }
  }
  return rows;
}

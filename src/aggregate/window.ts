/**
 * The comparison window: which inspections a run compares. By default each council's current
 * picture, its latest full inspection with the visits, reviews and council papers that came after
 * it (`latest`); or every inspection pooled (`all`); or those on site (else published) between two
 * dates (`<from>..<to>`). `framework` keeps only the inspections of one framework.
 */
import type { InspectionRecord } from './inspections.js';
import { asFramework, FRAMEWORKS, isFullInspection, type Framework } from '../vocab/documents.js';
import { UserError } from '../util/errors.js';

export type Period = { kind: 'latest' } | { kind: 'all' } | { kind: 'range'; from: string; to: string };

export interface ComparisonWindow {
  period: Period;
  framework?: Framework;
}

/** Every inspection, pooled (what a run compared before windows existed). */
export const ALL_INSPECTIONS: ComparisonWindow = { period: { kind: 'all' } };
/** The default of a run: each council's latest full inspection and what followed it. */
export const LATEST_INSPECTION: ComparisonWindow = { period: { kind: 'latest' } };

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const YEAR = /^\d{4}$/;

/** One end of a range: an ISO date, or a year (its first or last day). */
function rangeEnd(v: string, end: 'from' | 'to'): string | undefined {
  if (ISO.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))) return v;
  if (YEAR.test(v)) return end === 'from' ? `${v}-01-01` : `${v}-12-31`;
  return undefined;
}

/** `latest`, `all`, or `<from>..<to>` (ISO dates or years; either end may be left open). Throws a UserError naming the fix. */
export function parsePeriod(s: string): Period {
  const v = s.trim().toLowerCase();
  if (v === 'latest' || v === 'all') return { kind: v };
  const m = /^(.*)\.\.(.*)$/.exec(v);
  if (m) {
    const from = m[1] ? rangeEnd(m[1], 'from') : '0000-01-01';
    const to = m[2] ? rangeEnd(m[2], 'to') : '9999-12-31';
    if (from && to && from <= to) return { kind: 'range', from, to };
  }
  throw new UserError(`--period "${s}" is not a window: use latest, all, or <from>..<to> with dates or years (e.g. 2018..2025 or 2019-04-01..2023-03-31)`);
}

/** A framework name for --framework. Throws a UserError listing the choices. */
export function parseFramework(s: string): Framework {
  const f = asFramework(s);
  if (!f) throw new UserError(`--framework "${s}" is not a framework: use one of ${FRAMEWORKS.join(', ')}`);
  return f;
}

/** The date an inspection is placed at: its first day on site, else its publication. */
export const inspectionDate = (r: Pick<InspectionRecord, 'inspectionStart' | 'published'>): string => r.inspectionStart || r.published;

/** The ids of the inspections in the window. */
export function selectInspections(records: readonly InspectionRecord[], window: ComparisonWindow): Set<string> {
  const pool = window.framework ? records.filter((r) => r.framework === window.framework) : records;
  const p = window.period;
  if (p.kind === 'all') return new Set(pool.map((r) => r.id));
  if (p.kind === 'range') {
    return new Set(pool.filter((r) => { const d = inspectionDate(r); return d !== '' && d >= p.from && d <= p.to; }).map((r) => r.id));
  }
  const byCouncil = new Map<string, InspectionRecord[]>();
  for (const r of pool) {
    if (!byCouncil.has(r.council)) byCouncil.set(r.council, []);
    byCouncil.get(r.council)!.push(r);
  }
  const out = new Set<string>();
  for (const list of byCouncil.values()) {
    const full = list.filter((r) => isFullInspection(r.kind) && inspectionDate(r) !== '');
    if (!full.length) {
      // No full inspection to anchor on: the council's documents are all it has.
      for (const r of list) out.add(r.id);
      continue;
    }
    const anchor = full.reduce((a, b) => (inspectionDate(b) > inspectionDate(a) || (inspectionDate(b) === inspectionDate(a) && b.id > a.id) ? b : a));
    const since = inspectionDate(anchor);
    out.add(anchor.id);
    for (const r of list) if (r !== anchor && inspectionDate(r) > since && !isFullInspection(r.kind)) out.add(r.id);
  }
  return out;
}

const FRAMEWORK_NAMES: Record<Framework, string> = { earlier: 'inspections before November 2013', sif: 'single inspection framework (2013–2017)', ilacs: 'ILACS (2018 on)' };

/** The window in words, for CSVs, charts and the report. */
export function describeWindow(window: ComparisonWindow): string {
  const p = window.period;
  const base =
    p.kind === 'latest'
      ? "each council's latest full inspection, with the visits and papers since"
      : p.kind === 'all'
        ? 'all inspections pooled'
        : `inspections from ${p.from === '0000-01-01' ? 'the start' : p.from} to ${p.to === '9999-12-31' ? 'the end' : p.to}`;
  return window.framework ? `${base}; ${FRAMEWORK_NAMES[window.framework]} only` : base;
}

/** The window as the command line writes it: `latest`, `all`, `2018-01-01..2025-12-31` (+ `, framework ilacs`). */
export function windowKey(window: ComparisonWindow): string {
  const p = window.period;
  const period = p.kind === 'range' ? `${p.from}..${p.to}` : p.kind;
  return window.framework ? `${period}, framework ${window.framework}` : period;
}

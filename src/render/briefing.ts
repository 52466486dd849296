/**
 * `briefing-<council>.html` (with `--focus`): a printable A4 briefing a policy officer can attach to
 * a committee paper. For the focus council, in the comparison window:
 *
 * - a summary line: inspections covered, evaluative findings, the top themes;
 * - by theme (most findings first): strengths, areas for improvement and mixed findings, the
 *   improvement share with its 95% interval, against the median of all councils and of the
 *   statistical neighbours (higher / lower only where the interval excludes the median), and the
 *   strongest supporting sentence of each kind, quoted with its document, page and paragraph;
 * - a chart of the same comparison (vega-lite, inlined as SVG, so it prints as drawn);
 * - what changed since the previous inspection (changes.csv), with a quote from each side.
 *
 * Self-contained (no script, no external resource), deterministic, and printable: print CSS sets
 * A4 margins, keeps a theme's row and its quotes together and never cuts the chart.
 */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { Aggregates } from '../aggregate/index.js';
import type { Benchmark, BenchmarkRow } from '../aggregate/benchmark.js';
import { inspectionsByCouncil, type ChangeRow } from '../aggregate/over-time.js';
import type { Codebook } from '../theme/codebook.js';
import type { CouncilSummary, DocumentFinding, Label } from '../types.js';
import { LABEL_COLOURS, LABEL_NAMES } from '../vocab/labels.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { writeFileAtomic } from '../util/fs.js';
import { renderSvg } from './charts.js';
import { escapeHtml as h } from './report.js';

/** Themes shown with quotes (the rest are in the table only). */
export const BRIEFING_QUOTED_THEMES = 5;
/** Themes in the table and the chart. */
export const BRIEFING_THEMES = 12;

/** The briefing's file name for a council: `briefing-<slug>.html`. */
export function briefingFile(council: string): string {
  const slug = council
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `briefing-${slug || 'council'}.html`;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)}%`);

/** The strongest sentence of a label among a cell's sentences: highest confidence, then the shorter, then the first. */
function strongest(findings: readonly DocumentFinding[], label: Label): DocumentFinding | undefined {
  let best: DocumentFinding | undefined;
  for (const f of findings) {
    if (f.label !== label) continue;
    if (!best || f.confidence > best.confidence + 1e-9 || (Math.abs(f.confidence - best.confidence) <= 1e-9 && f.text.length < best.text.length)) best = f;
  }
  return best;
}

/** Where a sentence is: document, page (PDFs) and paragraph. */
function reference(f: DocumentFinding, pages: ReadonlyMap<string, number>): string {
  const page = (pages.get(f.doc) ?? 0) > 1 || f.page > 1 ? `, p. ${f.page}` : '';
  return `${f.doc}${page}, para. ${f.block}`;
}

function quote(f: DocumentFinding, pages: ReadonlyMap<string, number>): string {
  return `<blockquote class="q q-${f.label}"><span class="tag">${h(LABEL_NAMES[f.label])}</span> “${h(f.text)}” <cite>${h(reference(f, pages))}</cite></blockquote>`;
}

function verdict(c: BenchmarkRow['vsMedian']): string {
  if (c === 'higher') return '<span class="worse">higher</span>';
  if (c === 'lower') return '<span class="better">lower</span>';
  if (c === 'similar') return 'similar';
  return '<span class="muted">–</span>';
}

/** The comparison chart: the council's share and interval per theme, with the all-council and neighbour medians. */
function comparisonSpec(rows: { name: string; cell: CouncilSummary; bench?: BenchmarkRow }[], hasPeers: boolean): TopLevelSpec {
  const values = rows.flatMap((r) => [
    { theme: r.name, what: 'This council', share: r.cell.improvementShare, low: r.cell.improvementLow, high: r.cell.improvementHigh },
    ...(r.bench?.medianAll !== null && r.bench?.medianAll !== undefined ? [{ theme: r.name, what: 'Median of all councils', share: r.bench.medianAll }] : []),
    ...(hasPeers && r.bench?.peerMedian !== null && r.bench?.peerMedian !== undefined ? [{ theme: r.name, what: 'Median of statistical neighbours', share: r.bench.peerMedian }] : []),
  ]);
  const order = rows.map((r) => r.name);
  const y = { field: 'theme', type: 'nominal', sort: order, title: null, axis: { labelLimit: 260 } } as const;
  const x = { field: 'share', type: 'quantitative', title: 'Improvement share (areas for improvement and mixed, of evaluative findings)', scale: { domain: [0, 1] }, axis: { format: '.0%' } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 440,
    height: { step: 20 },
    background: 'white',
    data: { values },
    layer: [
      { transform: [{ filter: "datum.what === 'This council'" }], mark: { type: 'rule', color: '#7f7f7f' }, encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' } } },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          y,
          x,
          shape: { field: 'what', type: 'nominal', title: null, scale: { domain: ['This council', 'Median of all councils', 'Median of statistical neighbours'], range: ['circle', 'diamond', 'triangle-up'] }, legend: { orient: 'bottom', direction: 'horizontal' } },
          color: { field: 'what', type: 'nominal', title: null, scale: { domain: ['This council', 'Median of all councils', 'Median of statistical neighbours'], range: ['#d73027', '#4d4d4d', '#2166ac'] }, legend: { orient: 'bottom', direction: 'horizontal' } },
        },
      },
    ],
    config: { font: 'Liberation Sans, Arial, sans-serif', view: { stroke: null }, axis: { labelLimit: 300 }, legend: { labelLimit: 300 } },
  } as unknown as TopLevelSpec;
}

const CSS = `
@page { size: A4; margin: 14mm 14mm 16mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 "Liberation Sans", Arial, sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 4mm 0 2mm; border-bottom: 1px solid #bbb; padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; break-after: avoid; }
p { margin: 1mm 0 2mm; }
.muted { color: #666; }
.summary { background: #f3f3f3; padding: 2mm 3mm; border-left: 3px solid #555; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border-bottom: 1px solid #ddd; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { font-size: 8.5pt; font-weight: bold; }
td:first-child { width: 34%; }
tr, .theme, blockquote, figure { break-inside: avoid; page-break-inside: avoid; }
.worse { color: #b2182b; font-weight: bold; }
.better { color: #1b7837; font-weight: bold; }
blockquote { margin: 1mm 0 1.5mm; padding: 1mm 2.5mm; border-left: 3px solid #999; background: #fafafa; }
blockquote.q-strength { border-color: ${LABEL_COLOURS.strength}; }
blockquote.q-improvement { border-color: ${LABEL_COLOURS.improvement}; }
blockquote.q-mixed { border-color: ${LABEL_COLOURS.mixed}; }
.tag { font-weight: bold; font-size: 8.5pt; text-transform: uppercase; letter-spacing: .02em; }
cite { display: block; font-style: normal; color: #555; font-size: 8.5pt; }
figure { margin: 2mm 0; }
figure svg { max-width: 100%; height: auto; }
footer { margin-top: 5mm; font-size: 8pt; color: #666; border-top: 1px solid #ccc; padding-top: 2mm; }
`;

/** The briefing page for the focus council (bench.focus); undefined without a focus council. */
export async function briefingHtml(agg: Aggregates, codebook: Codebook, bench: Benchmark): Promise<string | undefined> {
  const council = bench.focus;
  if (!council) return undefined;
  const themeName = new Map(codebook.themes.map((t) => [t.id, t.name]));
  const byId = new Map(agg.all.findings.map((f) => [f.id, f]));
  const pages = new Map(agg.all.documents.map((d) => [d.id, d.pageCount]));
  const cells = agg.councilThemes.filter((c) => c.council === council && c.themeEvaluative > 0);
  // Most findings first, then codebook order.
  const order = new Map(codebook.themes.map((t, k) => [t.id, k]));
  cells.sort((a, b) => b.themeEvaluative - a.themeEvaluative || order.get(a.theme)! - order.get(b.theme)!);
  const benchOf = new Map(bench.rows.filter((r) => r.council === council).map((r) => [r.theme, r]));
  const info = agg.councilInfo.find((c) => c.council === council);
  const inspections = agg.inspections.filter((r) => r.council === council && agg.inWindow[r.documents[0]!]);
  const evaluative = cells[0]?.evaluative ?? agg.councilThemes.find((c) => c.council === council)?.evaluative ?? 0;
  const hasPeers = !!bench.peersSource;
  const shown = cells.slice(0, BRIEFING_THEMES);
  const name = (id: string) => themeName.get(id) ?? id;

  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${h(`${council}: inspection findings briefing`)}</title><style>${CSS}</style></head><body>`);
  parts.push(`<h1>${h(council)}: children's services inspection findings</h1>`);
  const insp = inspections.map((r) => `${r.kind.replace(/_/g, ' ')}${r.inspectionEnd || r.published ? ` (${r.inspectionEnd || r.published})` : ''}${r.overallGrade ? `, ${r.overallGrade.replace(/_/g, ' ')}` : ''}`);
  parts.push(`<p class="muted">${h(`${info?.onsCode ?? ''}${info?.region ? `, ${info.region}` : ''}. Comparison window: ${agg.window.label}. ${inspections.length} inspection event${inspections.length === 1 ? '' : 's'}${insp.length ? `: ${insp.join('; ')}` : ''}.`)}</p>`);
  if (!cells.length) {
    parts.push(`<p class="summary">No evaluative finding of ${h(council)} in this window has a theme.</p>`);
  } else {
    const top = cells[0]!;
    const topImprove = [...cells].filter((c) => c.improvements + c.mixed > 0).sort((a, b) => b.improvements + b.mixed - (a.improvements + a.mixed) || order.get(a.theme)! - order.get(b.theme)!)[0];
    const topStrength = [...cells].filter((c) => c.strengths > 0).sort((a, b) => b.strengths - a.strengths || order.get(a.theme)! - order.get(b.theme)!)[0];
    parts.push(
      `<p class="summary"><b>Top theme: ${h(name(top.theme))}</b> (${top.themeEvaluative} of ${evaluative} evaluative findings).` +
        (topStrength ? ` Most strengths: ${h(name(topStrength.theme))} (${topStrength.strengths}).` : '') +
        (topImprove ? ` Most areas for improvement: ${h(name(topImprove.theme))} (${topImprove.improvements + topImprove.mixed}).` : '') +
        ` ${agg.councils.length} councils in the comparison${hasPeers ? `; ${bench.focusPeers.length} of its ${bench.focusPeersInTable} statistical neighbours are in the corpus${bench.focusPeers.length ? ` (${bench.focusPeers.join(', ')})` : ''}` : ''}.</p>`,
    );

    parts.push('<h2>How it compares</h2>');
    parts.push(`<table><thead><tr><th>Theme</th><th>S</th><th>I</th><th>M</th><th>Improvement share (95% interval)</th><th>Median, all councils</th><th>vs all</th>${hasPeers ? '<th>Median, neighbours</th><th>vs neighbours</th>' : ''}</tr></thead><tbody>`);
    for (const c of shown) {
      const b = benchOf.get(c.theme);
      parts.push(
        `<tr><td>${h(name(c.theme))}</td><td class="n">${c.strengths}</td><td class="n">${c.improvements}</td><td class="n">${c.mixed}</td><td class="n">${pct(c.improvementShare)} (${pct(c.improvementLow)}–${pct(c.improvementHigh)})${b?.lowCount ? ' <span class="muted">few</span>' : ''}</td><td class="n">${pct(b?.medianAll)}</td><td>${verdict(b?.vsMedian ?? null)}</td>${hasPeers ? `<td class="n">${pct(b?.peerMedian)}</td><td>${verdict(b?.vsPeers ?? null)}</td>` : ''}</tr>`,
      );
    }
    parts.push('</tbody></table>');
    parts.push(`<p class="muted">S strengths, I areas for improvement, M mixed findings. Higher means a larger share of areas for improvement than the median; "similar" when the council's 95% interval includes the median. Cells with fewer than ${bench.minFindings} findings ("few") are not compared.${cells.length > shown.length ? ` ${cells.length - shown.length} more themes with fewer findings are in council_themes.csv.` : ''}</p>`);
    const svg = await renderSvg(comparisonSpec(shown.map((c) => ({ name: name(c.theme), cell: c, bench: benchOf.get(c.theme) })), hasPeers));
    parts.push(`<figure aria-label="Improvement share by theme">${svg}</figure>`);

    parts.push('<h2>Strengths and areas for improvement, with evidence</h2>');
    for (const c of cells.slice(0, BRIEFING_QUOTED_THEMES)) {
      const found = c.sentenceIds.map((id) => byId.get(id)).filter((f): f is DocumentFinding => !!f);
      // The strongest strength and area for improvement; a mixed finding stands in for a missing one.
      const picked = [strongest(found, 'strength'), strongest(found, 'improvement')];
      if (picked.some((f) => !f)) picked.push(strongest(found, 'mixed'));
      const quotes = picked.filter((f): f is DocumentFinding => !!f);
      parts.push(`<div class="theme"><h3>${h(name(c.theme))} <span class="muted">(${c.strengths} strength${c.strengths === 1 ? '' : 's'}, ${c.improvements} area${c.improvements === 1 ? '' : 's'} for improvement, ${c.mixed} mixed)</span></h3>${quotes.map((f) => quote(f, pages)).join('')}</div>`);
    }
  }

  parts.push('<h2>Since the previous inspection</h2>');
  const timeline = inspectionsByCouncil(agg.inspections).get(council) ?? [];
  const others = agg.inspections.filter((r) => r.council === council).length - timeline.length;
  parts.push(changesSection(agg.changes.filter((r) => r.council === council), name, byId, pages, { dated: timeline.length, others }));
  parts.push(`<footer>${h(`Made by ${TOOL_NAME} ${VERSION} from ${agg.all.documents.length} documents. Sentences are labelled by a trained model and grouped into the codebook's themes; each quote's document, page and paragraph are in sentences.csv with its evidence. Improvement share = (areas for improvement + mixed) / evaluative findings on the theme, counted once per inspection.`)}</footer>`);
  parts.push('</body></html>\n');
  return parts.join('\n');
}

/** The latest pair of inspections: themes that improved or deteriorated, with quotes. */
function changesSection(
  rows: readonly ChangeRow[],
  name: (id: string) => string,
  byId: ReadonlyMap<string, DocumentFinding>,
  pages: ReadonlyMap<string, number>,
  held: { dated: number; others: number },
): string {
  if (!rows.length) {
    const dated = `${held.dated} dated Ofsted inspection${held.dated === 1 ? '' : 's'} (report or letter) of this council ${held.dated === 1 ? 'is' : 'are'} in the corpus`;
    const others = held.others ? ` ${held.others} council paper${held.others === 1 ? '' : 's'} or news item${held.others === 1 ? '' : 's'} not linked to an Ofsted report ${held.others === 1 ? 'is' : 'are'} not compared over time (inspections.csv).` : '';
    return `<p>${h(`${dated}: nothing earlier to compare with.${others}`)}</p>`;
  }
  const latest = rows.reduce((a, r) => (r.currentDate > a.currentDate || (r.currentDate === a.currentDate && r.current > a.current) ? r : a));
  const pair = rows.filter((r) => r.current === latest.current && r.previous === latest.previous);
  const head = `<p>${h(`${latest.currentKind.replace(/_/g, ' ')} (${latest.currentDate}) against ${latest.previousKind.replace(/_/g, ' ')} (${latest.previousDate}).`)}</p>`;
  const moved = pair.filter((r) => r.direction === 'improved' || r.direction === 'deteriorated').sort((a, b) => Math.abs(b.change ?? 0) - Math.abs(a.change ?? 0));
  const steady = pair.filter((r) => r.direction === 'no clear change').length;
  if (!moved.length) return `${head}<p>No theme's improvement share changed by more than its 95% interval allows (${steady} theme${steady === 1 ? '' : 's'} compared).</p>`;
  const items = moved.map((r) => {
    const before = r.previousSentences.map((id) => byId.get(id)).filter((f): f is DocumentFinding => !!f);
    const after = r.currentSentences.map((id) => byId.get(id)).filter((f): f is DocumentFinding => !!f);
    const want: Label = r.direction === 'improved' ? 'strength' : 'improvement';
    const q = strongest(after, want) ?? strongest(after, 'mixed');
    const p = strongest(before, r.direction === 'improved' ? 'improvement' : 'strength');
    return `<div class="theme"><h3>${h(name(r.theme))}: <span class="${r.direction === 'improved' ? 'better' : 'worse'}">${h(r.direction!)}</span> <span class="muted">(improvement share ${pct(r.previousShare)} → ${pct(r.currentShare)})</span></h3>${p ? quote(p, pages) : ''}${q ? quote(q, pages) : ''}</div>`;
  });
  return `${head}${items.join('')}<p class="muted">${steady} other theme${steady === 1 ? '' : 's'} showed no clear change. Every pair is in changes.csv.</p>`;
}

/** Stage 6e: write briefing-<council>.html for the focus council; returns its name, or undefined without a focus. */
export async function writeBriefing(agg: Aggregates, codebook: Codebook, bench: Benchmark, outDir: string): Promise<string | undefined> {
  const html = await briefingHtml(agg, codebook, bench);
  if (html === undefined) return undefined;
  const file = briefingFile(bench.focus!);
  await writeFileAtomic(join(outDir, file), html);
  return file;
}

/**
 * outputs/report.html: one self-contained file (vega, vega-lite and vega-embed inlined; data as
 * gzip-compressed JSON in base64, each council's sentences a block of their own, read when first
 * needed) that opens from disk with no network. Clicking a chart item lists the sentences behind
 * it. Document text only ever reaches the page inside base64 data blocks (no markup can survive)
 * and is put into the DOM with textContent; a Content-Security-Policy with a script nonce and no
 * network sources is the second line of defence.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { createGzip, gzipSync } from 'node:zlib';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Aggregates } from '../aggregate/index.js';
import type { Benchmark } from '../aggregate/benchmark.js';
import type { EmergingTerm } from '../aggregate/emerging.js';
import { inspectionsByCouncil } from '../aggregate/over-time.js';
import { inspectionDate, selectInspections } from '../aggregate/window.js';
import { FRAMEWORKS, INSPECTION_KIND_NAMES } from '../vocab/documents.js';
import type { Codebook } from '../theme/codebook.js';
import type { ChartDef } from './specs.js';
import { IMPROVEMENT_COLOUR, MIXED_COLOUR, STRENGTH_COLOUR } from './specs.js';
import { LABEL_NAMES } from '../vocab/labels.js';

const require = createRequire(import.meta.url);

/** The browser bundles of vega, vega-lite and vega-embed (UMD; define globals vega, vegaLite, vegaEmbed). */
export function browserBundles(): { name: string; code: string }[] {
  const bundle = (pkg: string, file: string) => join(dirname(require.resolve(pkg)), file);
  return [
    { name: 'vega', code: readFileSync(bundle('vega', 'vega.min.js'), 'utf8') },
    { name: 'vega-lite', code: readFileSync(bundle('vega-lite', 'vega-lite.min.js'), 'utf8') },
    { name: 'vega-embed', code: readFileSync(bundle('vega-embed', 'vega-embed.min.js'), 'utf8') },
  ];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Make third-party code safe to inline in a <script> element. */
const inlineScript = (code: string) =>
  code
    .replace(/\/\/# sourceMappingURL=\S*/g, '')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');

export interface ReportData {
  title: string;
  /** The comparison window in words, and as --period writes it. */
  window: string;
  windowKey: string;
  focus: string | null;
  peers: { source: string; focusPeers: string[]; focusPeersInTable: number; unmatched: string[] } | null;
  totals: { documents: number; councils: number; sentences: number; evaluative: number; duplicates: number };
  themes: { id: string; name: string; category: string }[];
  /** The codebook's theme categories (the heatmap's theme filter). */
  categories: { id: string; name: string }[];
  councils: { council: string; onsCode: string; region: string; documents: number; evaluative: number; duplicates: number; isPeer: boolean }[];
  docs: Record<string, { council: string; date: string; type: string; inspection: string }>;
  /**
   * Counted (de-duplicated) evaluative findings with at least one theme, in document order: those
   * of the window (`w`: true; the charts list only these), and, for the timeline, those of the
   * other inspections of the focus council, or of every council when the corpus is small
   * (REPORT_ALL_SENTENCES_MAX).
   */
  sentences: ReportSentence[];
  /** pngOmitted: why the chart has no PNG file (over the PNG size limit), when it has none. */
  charts: { name: string; title: string; drill: string; spec: unknown; pngOmitted?: string }[];
  /** Cells with fewer evaluative findings are faded (and unranked in the CSVs). */
  minFindings: number;
  kindNames: Record<string, string>;
  /**
   * Every inspection (for the timeline and the window controls): `latest` lists the frameworks
   * ('' = any) in whose latest-inspection window it is, as selectInspections decides.
   */
  inspections: { id: string; council: string; kind: string; framework: string; date: string; grade: string; latest: string[]; timeline: boolean }[];
  /** Inspection id -> theme id -> [evaluative findings, areas for improvement + mixed]. */
  cells: Record<string, Record<string, [number, number]>>;
  /** changes.csv's supported directions, by `${current inspection} ${theme}`. */
  changes: Record<string, { previous: string; change: number | null; low: number | null; high: number | null; direction: string | null }>;
  emerging: {
    rising: { term: string; score: number; recent: [number, number]; earlier: [number, number]; recentFrom: string; low: number; high: number; examples: ReportExample[] }[];
    councils: Record<string, { term: string; score: number; sentences: number; examples: ReportExample[] }[]>;
  };
}

/** One sentence as the report embeds it (`o`: its position in report order). */
export interface ReportSentence {
  o: number;
  id: string;
  doc: string;
  council: string;
  label: string;
  section: string;
  /** The page the sentence starts on (as in sentences.csv), for citing it. */
  page: number;
  /** Its block (paragraph) number and its characters in the document's extracted text (as in sentences.csv). */
  block: number;
  start: number;
  end: number;
  text: string;
  evidence: string;
  themes: string[];
  alsoIn: string[];
  w: boolean;
}

/**
 * The report's sentences by council, each record made only when asked for: the report is written
 * a council's block at a time, so that the records of a whole national corpus (their evidence in
 * words is most of their size) are never held at once.
 */
export interface ReportSentences {
  /** Councils with sentences, sorted. */
  councils: string[];
  /** How many sentences a council has. */
  count(council: string): number;
  /** A council's sentence records in report order. */
  records(council: string): Iterable<ReportSentence>;
  /** Every record in report order. */
  all(): Iterable<ReportSentence>;
}

/** An example sentence of an emerging phrase. */
export interface ReportExample {
  id: string;
  doc: string;
  text: string;
}

/** Below this many themed findings in the whole corpus, the report embeds them all (so every council's timeline lists its sentences). */
export const REPORT_ALL_SENTENCES_MAX = 20_000;

/** The report's data with every sentence record made (library use; the pipeline writes the report with reportSentences, a council at a time). */
export function reportData(agg: Aggregates, codebook: Codebook, bench: Benchmark, charts: ChartDef[], emerging: readonly EmergingTerm[] = []): ReportData {
  return { ...reportCore(agg, codebook, bench, charts, emerging), sentences: [...reportSentences(agg, bench).all()] };
}

/**
 * Counted (de-duplicated) evaluative findings with at least one theme, in document order, that the
 * report embeds (see ReportData.sentences), by council.
 */
export function reportSentences(agg: Aggregates, bench: Benchmark): ReportSentences {
  const alsoIn = new Map<string, Set<string>>();
  for (const d of agg.all.duplicates) {
    if (!alsoIn.has(d.duplicateOf)) alsoIn.set(d.duplicateOf, new Set());
    alsoIn.get(d.duplicateOf)!.add(d.doc);
  }
  const themed = (f: { code: string; themes: unknown[]; id: string }) => f.code !== 'N' && f.themes.length > 0 && !(f.id in agg.duplicateOf);
  const everyCouncil = agg.all.findings.filter(themed).length <= REPORT_ALL_SENTENCES_MAX;
  const counted = agg.all.findings.filter((f) => themed(f) && (agg.inWindow[f.doc] || everyCouncil || agg.councilOf[f.doc] === bench.focus));
  const byCouncil = new Map<string, number[]>();
  counted.forEach((f, o) => {
    const c = agg.councilOf[f.doc]!;
    let list = byCouncil.get(c);
    if (!list) byCouncil.set(c, (list = []));
    list.push(o);
  });
  const record = (o: number): ReportSentence => {
    const f = counted[o]!;
    return {
      o,
      id: f.id,
      doc: f.doc,
      council: agg.councilOf[f.doc]!,
      label: f.label,
      section: f.sectionPath.join(' > '),
      page: f.page,
      block: f.block,
      start: f.start,
      end: f.end,
      text: f.text,
      evidence: [...f.evidence.map((e) => `${e.kind}: ${e.value}`), ...f.themes.map((t) => `theme ${t.theme}: ${t.terms.join(', ')}`)].join('; '),
      themes: f.themes.map((t) => t.theme),
      alsoIn: [...(alsoIn.get(f.id) ?? [])].sort(),
      w: agg.inWindow[f.doc]!,
    };
  };
  return {
    councils: [...byCouncil.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    count: (c) => byCouncil.get(c)?.length ?? 0,
    *records(c) {
      for (const o of byCouncil.get(c) ?? []) yield record(o);
    },
    *all() {
      for (let o = 0; o < counted.length; o++) yield record(o);
    },
  };
}

/** Everything the report embeds but its sentences. */
export function reportCore(agg: Aggregates, codebook: Codebook, bench: Benchmark, charts: ChartDef[], emerging: readonly EmergingTerm[] = []): Omit<ReportData, 'sentences'> {
  const peers = new Set(bench.focusPeers);
  const latest = new Map<string, string[]>();
  for (const framework of ['', ...FRAMEWORKS] as const) {
    for (const id of selectInspections(agg.inspections, { period: { kind: 'latest' }, ...(framework ? { framework } : {}) })) {
      if (!latest.has(id)) latest.set(id, []);
      latest.get(id)!.push(framework);
    }
  }
  const onTimeline = new Set([...inspectionsByCouncil(agg.inspections).values()].flat().map((r) => r.id));
  const cells: ReportData['cells'] = {};
  for (const [id, byTheme] of [...agg.inspectionCells].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    cells[id] = Object.fromEntries(agg.themes.filter((t) => byTheme.has(t)).map((t) => [t, [byTheme.get(t)!.n, byTheme.get(t)!.k]]));
  }
  const textOf = new Map<string, { doc: string; text: string }>();
  const wanted = new Set(emerging.flatMap((t) => t.examples));
  for (const f of agg.all.findings) if (wanted.has(f.id)) textOf.set(f.id, { doc: f.doc, text: f.text });
  const examples = (t: EmergingTerm): ReportExample[] => t.examples.filter((id) => textOf.has(id)).map((id) => ({ id, ...textOf.get(id)! }));
  const councilTerms: ReportData['emerging']['councils'] = {};
  for (const t of emerging) {
    if (t.scope !== 'council') continue;
    (councilTerms[t.council] ??= []).push({ term: t.term, score: t.score, sentences: t.sentences, examples: examples(t) });
  }
  return {
    title: 'Inspection findings: cross-council comparison',
    window: agg.window.label,
    windowKey: agg.window.key,
    focus: bench.focus,
    peers: bench.peersSource ? { source: bench.peersSource.split(/[\\/]/).pop()!, focusPeers: bench.focusPeers, focusPeersInTable: bench.focusPeersInTable, unmatched: bench.unmatched } : null,
    totals: {
      documents: agg.documents.length,
      councils: agg.councils.length,
      sentences: agg.findings.length,
      evaluative: agg.councilInfo.reduce((n, c) => n + c.evaluative, 0),
      duplicates: agg.duplicates.length,
    },
    themes: codebook.themes.map((t) => ({ id: t.id, name: t.name, category: t.category })),
    categories: codebook.categories.map((c) => ({ id: c.id, name: c.name })),
    councils: agg.councilInfo.map((c) => ({ council: c.council, onsCode: c.onsCode, region: c.region, documents: c.documents.length, evaluative: c.evaluative, duplicates: c.duplicates, isPeer: peers.has(c.council) })),
    docs: Object.fromEntries(agg.all.documents.map((d) => [d.id, { council: agg.councilOf[d.id]!, date: d.meta.date, type: d.meta.documentType, inspection: agg.inspectionOf[d.id]! }])),
    charts: charts.map((c) => ({ name: c.name, title: c.title, drill: c.drill, spec: c.spec })),
    minFindings: bench.minFindings,
    kindNames: INSPECTION_KIND_NAMES,
    inspections: agg.inspections.map((r) => ({
      id: r.id,
      council: r.council,
      kind: r.kind,
      framework: r.framework,
      date: inspectionDate(r),
      grade: r.overallGrade,
      latest: latest.get(r.id) ?? [],
      timeline: onTimeline.has(r.id),
    })),
    cells,
    changes: Object.fromEntries(agg.changes.map((c) => [`${c.current} ${c.theme}`, { previous: c.previous, change: c.change, low: c.changeLow, high: c.changeHigh, direction: c.direction }])),
    emerging: {
      rising: emerging
        .filter((t) => t.scope === 'rising')
        .map((t) => ({ term: t.term, score: t.score, recent: [t.recent!.inspections, t.recent!.of], earlier: [t.earlier!.inspections, t.earlier!.of], recentFrom: t.recent!.from, low: t.change!.low, high: t.change!.high, examples: examples(t) })),
      councils: councilTerms,
    },
  };
}

const CSS = `
:root { --s: ${STRENGTH_COLOUR}; --i: ${IMPROVEMENT_COLOUR}; --m: ${MIXED_COLOUR}; }
* { box-sizing: border-box; }
body { font-family: 'Liberation Sans', Arial, Helvetica, sans-serif; margin: 0; color: #1a1a1a; background: #fff; line-height: 1.4; }
header, footer { padding: 12px 20px; background: #f4f4f4; border-bottom: 1px solid #ddd; }
footer { border-top: 1px solid #ddd; border-bottom: none; font-size: 13px; }
h1 { font-size: 22px; margin: 4px 0; } h2 { font-size: 18px; margin: 8px 0; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(320px, 36%); gap: 16px; padding: 12px 20px; }
@media (max-width: 1100px) { .layout { grid-template-columns: 1fr; } }
.chart { position: relative; overflow: auto; border: 1px solid #e4e4e4; padding: 8px; margin-bottom: 16px; }
#drilldown { position: sticky; top: 0; z-index: 2; max-height: 100vh; overflow: auto; border: 1px solid #ccc; padding: 10px; background: #fcfcfc; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
.label { font-weight: bold; white-space: nowrap; }
.label-strength { color: var(--s); } .label-improvement { color: var(--i); } .label-mixed { color: #8c4a00; }
.text { white-space: pre-wrap; margin: 4px 0; }
#drill-list { list-style: none; padding: 0; margin: 0; }
#drill-list li { border-top: 1px solid #e2e2e2; padding: 6px 0; }
#drill-list .meta span { margin-right: 8px; }
.doc { font-family: 'Liberation Mono', 'Courier New', monospace; font-size: 12px; }
.evidence { font-size: 11px; }
.muted { color: #555; font-size: 12px; }
.focus { font-weight: bold; }
table.grid td.share { cursor: pointer; white-space: nowrap; }
table.grid td.low { opacity: 0.45; }
table.grid th { font-size: 12px; }
.wide { overflow-x: auto; }
.change { font-size: 11px; font-weight: bold; }
#rising tbody tr { cursor: pointer; }
button.linkish { background: none; border: none; color: #0645ad; cursor: pointer; padding: 0; font: inherit; text-decoration: underline; }
form.browse { display: flex; flex-wrap: wrap; gap: 6px; align-items: end; margin-bottom: 8px; font-size: 13px; }
`;

const CLIENT_JS = `
(function () {
  'use strict';
  /** A gzip+base64 data block as its JSON value (the browser's DecompressionStream: no network). */
  function unpack(el) {
    var bin = atob(el.textContent.trim());
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(JSON.parse);
  }
  unpack(document.getElementById('report-data')).then(start, function (err) {
    document.getElementById('summary').textContent = 'This browser could not read the report data (' + err.message + '); it needs DecompressionStream (Chromium 80, Firefox 113, Safari 16.4 or later).';
  });

  function start(data) {
  // Each council's sentences are their own compressed block, read when first asked for.
  var blocks = {}, loaded = {};
  document.querySelectorAll('script.sentences').forEach(function (b) { blocks[b.getAttribute('data-council')] = b; });
  function sentencesOf(council) {
    if (!loaded[council]) loaded[council] = blocks[council] ? unpack(blocks[council]) : Promise.resolve([]);
    return loaded[council];
  }
  function allSentences() {
    return Promise.all(Object.keys(blocks).sort().map(sentencesOf)).then(function (lists) {
      return [].concat.apply([], lists).sort(function (a, b) { return a.o - b.o; });
    });
  }
  var themeName = {};
  data.themes.forEach(function (t) { themeName[t.id] = t.name; });
  var labelName = ${JSON.stringify(LABEL_NAMES)};
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function setText(id, text) { document.getElementById(id).textContent = text; }

  setText('summary', data.totals.documents + ' documents, ' + data.totals.councils + ' councils, ' + data.totals.sentences + ' sentences; ' +
    data.totals.evaluative + ' evaluative findings counted (' + data.totals.duplicates + ' repeated quotations of the same inspection counted once).');
  if (data.focus) {
    var f = 'Focus council: ' + data.focus + '.';
    if (data.peers && data.peers.unmatched.indexOf(data.focus) >= 0) f += ' It is not in the neighbour table ' + data.peers.source + '.';
    else if (data.peers) f += ' Statistical neighbours (' + data.peers.source + '): ' + data.peers.focusPeers.length + ' of ' + data.peers.focusPeersInTable + ' in the corpus' + (data.peers.focusPeers.length ? ' (' + data.peers.focusPeers.join(', ') + ').' : '.');
    if (data.peers && data.peers.unmatched.length) f += ' Councils not in the neighbour table: ' + data.peers.unmatched.join(', ') + '.';
    setText('focus', f);
  }

  var tbody = document.querySelector('#councils tbody');
  data.councils.forEach(function (c) {
    var tr = document.createElement('tr');
    if (c.council === data.focus) tr.className = 'focus';
    [c.council + (c.council === data.focus ? ' (focus)' : c.isPeer ? ' (neighbour)' : ''), c.onsCode, c.documents, c.evaluative, c.duplicates].forEach(function (v) { tr.appendChild(el('td', v)); });
    tbody.appendChild(tr);
  });

  function docOf(s) { return data.docs[s.doc] || { council: '', date: '', type: '', inspection: '' }; }
  function show(title, rows, note) {
    setText('drill-title', title);
    setText('drill-summary', (rows.length ? rows.length + ' sentence' + (rows.length === 1 ? '' : 's') + ' (each finding counted once per council and inspection)' : 'No evaluative sentences here.') + (note ? ' ' + note : ''));
    var list = document.getElementById('drill-list');
    list.textContent = '';
    rows.forEach(function (s) {
      var li = document.createElement('li');
      li.setAttribute('data-sentence-id', s.id);
      var doc = data.docs[s.doc] || { council: '', date: '', type: '' };
      var meta = el('div', null, 'meta');
      meta.appendChild(el('span', labelName[s.label] || s.label, 'label label-' + s.label));
      meta.appendChild(el('span', s.doc, 'doc'));
      if (s.page) meta.appendChild(el('span', 'p. ' + s.page, 'page muted'));
      if (s.block) {
        var place = el('span', '¶ ' + s.block + ', characters ' + s.start + '–' + s.end, 'place muted');
        place.title = 'Paragraph (block) number and characters in the extracted text of ' + s.doc + ' (Sources/ in project.qdpx), as in sentences.csv';
        meta.appendChild(place);
      }
      meta.appendChild(el('span', [s.council, doc.type, doc.date].filter(Boolean).join(', '), 'muted'));
      li.appendChild(meta);
      if (s.section) li.appendChild(el('div', s.section, 'section muted'));
      li.appendChild(el('p', s.text, 'text'));
      if (s.evidence) li.appendChild(el('div', 'Evidence: ' + s.evidence + (s.alsoIn && s.alsoIn.length ? '. Also quoted in ' + s.alsoIn.join(', ') : ''), 'evidence muted'));
      list.appendChild(li);
    });
    document.getElementById('drilldown').setAttribute('data-selection', title);
    var box = document.getElementById('drilldown').getBoundingClientRect();
    if (box.top > window.innerHeight || box.bottom < 0) document.getElementById('drilldown').scrollIntoView({ block: 'start' });
  }
  function select(drill, d) {
    if (!d || typeof d.theme !== 'string') return Promise.resolve();
    var rows, title;
    if (drill === 'theme_improvement') {
      rows = allSentences().then(function (all) { return all.filter(function (s) { return s.w && s.themes.indexOf(d.theme) >= 0 && (s.label === 'improvement' || s.label === 'mixed'); }); });
      title = (themeName[d.theme] || d.theme) + ': areas for improvement, all councils';
    } else if (drill === 'change') {
      if (typeof d.council !== 'string' || typeof d.inspection !== 'string') return Promise.resolve();
      showTimeline(d.council);
      rows = sentencesOf(d.council).then(function (all) { return all.filter(function (s) { var i = docOf(s).inspection; return (i === d.previous || i === d.inspection) && s.themes.indexOf(d.theme) >= 0; }); });
      title = d.council + ' / ' + (themeName[d.theme] || d.theme) + ': ' + inspectionName(d.previous) + ' and ' + inspectionName(d.inspection);
    } else {
      if (typeof d.council !== 'string') return Promise.resolve();
      rows = sentencesOf(d.council).then(function (all) { return all.filter(function (s) { return s.w && s.themes.indexOf(d.theme) >= 0 && (drill !== 'council_theme_label' || s.label === d.label); }); });
      title = d.council + ' / ' + (themeName[d.theme] || d.theme) + (drill === 'council_theme_label' ? ' / ' + (labelName[d.label] || d.label) : '');
    }
    return rows.then(function (list) {
      show(title, list);
      if (typeof syncBrowse === 'function') syncBrowse(d);
    });
  }
  window.__reportSelect = select;

  // ---- Inspections: the council timeline and the window controls ----
  var inspectionById = {};
  data.inspections.forEach(function (r) { inspectionById[r.id] = r; });
  var kindName = data.kindNames;
  function inspectionName(id) { var r = inspectionById[id]; return r ? (r.date || 'undated') + ' ' + (kindName[r.kind] || r.kind.replace(/_/g, ' ')) : id; }
  function cellOf(id, theme) { var c = data.cells[id] && data.cells[id][theme]; return c ? { n: c[0], k: c[1] } : { n: 0, k: 0 }; }
  function wilson(k, n) {
    if (!n) return null;
    var z = 1.959963984540054, p = k / n, d = 1 + z * z / n, c = (p + z * z / (2 * n)) / d, h = (z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / d;
    return [Math.max(0, c - h), Math.min(1, c + h)];
  }
  function pct(x) { return Math.round(x * 100) + '%'; }
  /** A share cell: the improvement share and its count, coloured from strength to improvement, faded below the minimum count. */
  function shareCell(k, n) {
    var td = el('td');
    td.setAttribute('data-n', n);
    td.setAttribute('data-k', k);
    if (!n) { td.className = 'empty'; return td; }
    var ci = wilson(k, n);
    td.textContent = pct(k / n) + ' (' + n + ')';
    td.title = k + ' of ' + n + ' findings are areas for improvement or mixed; 95% interval ' + pct(ci[0]) + ' to ' + pct(ci[1]) + (n < data.minFindings ? '; fewer than ' + data.minFindings + ' findings' : '');
    td.style.background = 'color-mix(in srgb, color-mix(in srgb, var(--i) ' + Math.round((100 * k) / n) + '%, var(--s)) 45%, white)';
    td.className = 'share' + (n < data.minFindings ? ' low' : '');
    return td;
  }

  var tlSel = document.getElementById('timeline-council');
  var timelineCouncils = [];
  data.inspections.forEach(function (r) { if (r.timeline && timelineCouncils.indexOf(r.council) < 0) timelineCouncils.push(r.council); });
  timelineCouncils.sort();
  timelineCouncils.forEach(function (c) { var o = el('option', c); o.value = c; tlSel.appendChild(o); });
  function listInspectionTheme(council, id, theme) {
    return sentencesOf(council).then(function (all) {
      var rows = all.filter(function (s) { return docOf(s).inspection === id && s.themes.indexOf(theme) >= 0; });
      var n = cellOf(id, theme).n;
      show(council + ' / ' + (themeName[theme] || theme) + ' / ' + inspectionName(id), rows, rows.length < n ? (n - rows.length) + ' of its ' + n + ' findings are outside the window and not embedded here: see sentences.csv and changes.csv.' : '');
    });
  }
  function showTimeline(council) {
    if (timelineCouncils.indexOf(council) < 0) return;
    tlSel.value = council;
    var cols = data.inspections.filter(function (r) { return r.timeline && r.council === council; });
    var table = document.getElementById('timeline');
    table.textContent = '';
    table.setAttribute('data-council', council);
    var head = el('tr');
    head.appendChild(el('th', 'Theme'));
    cols.forEach(function (r) {
      var th = el('th', inspectionName(r.id) + (r.grade ? ' (' + r.grade.replace(/_/g, ' ') + ')' : ''));
      th.setAttribute('data-inspection', r.id);
      head.appendChild(th);
    });
    var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
    var tbody = el('tbody');
    data.themes.forEach(function (t) {
      if (!cols.some(function (r) { return cellOf(r.id, t.id).n > 0; })) return;
      var tr = el('tr');
      tr.setAttribute('data-theme', t.id);
      tr.appendChild(el('th', t.name));
      cols.forEach(function (r) {
        var c = cellOf(r.id, t.id);
        var td = shareCell(c.k, c.n);
        td.setAttribute('data-inspection', r.id);
        var ch = data.changes[r.id + ' ' + t.id];
        if (ch && ch.direction && ch.direction !== 'no clear change') {
          td.appendChild(el('span', ch.direction === 'improved' ? ' \u25bc improved' : ' \u25b2 deteriorated', 'change change-' + ch.direction));
          td.setAttribute('data-direction', ch.direction);
          td.title += '; since the previous inspection: ' + (ch.change > 0 ? '+' : '') + Math.round(ch.change * 100) + ' points (95% interval ' + Math.round(ch.low * 100) + ' to ' + Math.round(ch.high * 100) + ')';
        }
        if (c.n) td.addEventListener('click', function () { listInspectionTheme(council, r.id, t.id); });
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    showCouncilTerms(council);
  }
  tlSel.addEventListener('change', function () { showTimeline(tlSel.value); });
  window.__showTimeline = showTimeline;

  function selectWindow(period, from, to, framework) {
    return data.inspections.filter(function (r) {
      if (framework && r.framework !== framework) return false;
      if (period === 'latest') return r.latest.indexOf(framework || '') >= 0;
      if (period === 'all') return true;
      return r.date !== '' && (!from || r.date >= from + '-01-01') && (!to || r.date <= to + '-12-31');
    });
  }
  function showWindow() {
    var period = document.getElementById('window-period').value;
    var from = document.getElementById('window-from').value, to = document.getElementById('window-to').value;
    var framework = document.getElementById('window-framework').value;
    var chosen = selectWindow(period, from, to, framework);
    var byCouncil = {};
    chosen.forEach(function (r) { (byCouncil[r.council] = byCouncil[r.council] || []).push(r.id); });
    var councils = Object.keys(byCouncil).sort();
    var table = document.getElementById('window-table');
    table.textContent = '';
    var head = el('tr');
    head.appendChild(el('th', 'Council'));
    data.themes.forEach(function (t) { var th = el('th', t.name); th.setAttribute('data-theme', t.id); head.appendChild(th); });
    var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
    var tbody = el('tbody');
    councils.forEach(function (c) {
      var tr = el('tr');
      tr.setAttribute('data-council', c);
      if (c === data.focus) tr.className = 'focus';
      tr.appendChild(el('th', c));
      data.themes.forEach(function (t) {
        var n = 0, k = 0;
        byCouncil[c].forEach(function (id) { var x = cellOf(id, t.id); n += x.n; k += x.k; });
        var td = shareCell(k, n);
        td.setAttribute('data-theme', t.id);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    var words = period === 'latest' ? "each council's latest full inspection, with the visits since" : period === 'all' ? 'all inspections pooled' : 'inspections from ' + (from || 'the start') + ' to ' + (to || 'the end');
    setText('window-summary', chosen.length + ' inspection' + (chosen.length === 1 ? '' : 's') + ' of ' + councils.length + ' council' + (councils.length === 1 ? '' : 's') + ': ' + words + (framework ? ', ' + framework + ' framework only' : '') + '. Cell: improvement share (findings); faded: fewer than ' + data.minFindings + ' findings; hover for the 95% interval.');
    table.setAttribute('data-inspections', chosen.length);
  }
  document.getElementById('window-form').addEventListener('submit', function (e) { e.preventDefault(); showWindow(); });

  // ---- Emerging phrases ----
  function exampleRows(examples) {
    return examples.map(function (x) { var d = data.docs[x.doc] || {}; return { id: x.id, doc: x.doc, council: d.council || '', label: '', section: '', text: x.text, evidence: '', alsoIn: [] }; });
  }
  var rising = document.querySelector('#rising tbody');
  data.emerging.rising.forEach(function (t) {
    var tr = el('tr');
    tr.setAttribute('data-term', t.term);
    tr.appendChild(el('td', t.term, 'term'));
    tr.appendChild(el('td', pct(t.recent[0] / t.recent[1]) + ' (' + t.recent[0] + ' of ' + t.recent[1] + ')'));
    tr.appendChild(el('td', pct(t.earlier[0] / t.earlier[1]) + ' (' + t.earlier[0] + ' of ' + t.earlier[1] + ')'));
    tr.appendChild(el('td', '+' + Math.round(t.low * 100) + ' to +' + Math.round(t.high * 100) + ' points'));
    tr.appendChild(el('td', t.score.toFixed(1)));
    tr.addEventListener('click', function () { show('Emerging phrase: ' + t.term, exampleRows(t.examples), 'Examples from the latest inspections; every use is in emerging_terms.csv.'); });
    rising.appendChild(tr);
  });
  if (!data.emerging.rising.length) setText('rising-note', 'No rising phrases: the corpus needs at least three dated inspections in the recent years and three before them, and a phrase must pass the tests above.');
  else setText('rising-note', 'Recent: inspections from ' + data.emerging.rising[0].recentFrom.slice(0, 4) + ' on, against all earlier ones. Click a phrase for example sentences.');
  function showCouncilTerms(council) {
    var list = document.getElementById('council-terms');
    list.textContent = '';
    setText('council-terms-title', 'Phrases ' + council + "'s findings use more than other councils' (window of the run)");
    (data.emerging.councils[council] || []).forEach(function (t) {
      var li = el('li');
      var a = el('button', t.term + ' (' + t.sentences + ')', 'linkish');
      a.type = 'button';
      a.addEventListener('click', function () { show(council + ': ' + t.term, exampleRows(t.examples)); });
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!list.childNodes.length) list.appendChild(el('li', 'None that passes the tests.', 'muted'));
  }

  if (timelineCouncils.length) showTimeline(data.focus && timelineCouncils.indexOf(data.focus) >= 0 ? data.focus : timelineCouncils[0]);
  else setText('timeline-note', 'No council has an inspection with a date: nothing to place on a timeline.');
  showWindow();

  var cSel = document.getElementById('browse-council'), tSel = document.getElementById('browse-theme');
  data.councils.forEach(function (c) { var o = el('option', c.council); o.value = c.council; cSel.appendChild(o); });
  data.themes.forEach(function (t) { var o = el('option', t.name); o.value = t.id; tSel.appendChild(o); });
  if (data.focus) cSel.value = data.focus;
  function syncBrowse(d) { if (typeof d.council === 'string') cSel.value = d.council; if (typeof d.theme === 'string') tSel.value = d.theme; }
  document.getElementById('browse').addEventListener('submit', function (e) { e.preventDefault(); select('council_theme', { council: cSel.value, theme: tSel.value }); });

  // Search: every word (case and accents aside) must occur in the sentence; all councils' sentences are read on the first search.
  var SEARCH_SHOWN = 500;
  function fold(t) { return t.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[\u2018\u2019]/g, "'"); }
  document.getElementById('search').addEventListener('submit', function (e) {
    e.preventDefault();
    var q = document.getElementById('search-words').value;
    var words = fold(q).split(/\s+/).filter(Boolean);
    if (!words.length) return;
    setText('drill-summary', 'Searching…');
    allSentences().then(function (all) {
      var hits = all.filter(function (s) { var t = fold(s.text); return words.every(function (w) { return t.indexOf(w) >= 0; }); });
      show('Search: ' + q, hits.slice(0, SEARCH_SHOWN), hits.length > SEARCH_SHOWN ? 'The first ' + SEARCH_SHOWN + ' of ' + hits.length + ' are shown; add words to narrow the search.' : 'Searched the ' + all.length + ' themed findings embedded in the report.');
      document.getElementById('drilldown').setAttribute('data-hits', hits.length);
    });
  });

  // Heatmap sort and filter: the chart is drawn again from its own cells, councils in the chosen
  // order and only those (and the themes) the filters keep; counts and colours are unchanged.
  var hmDef = data.charts.filter(function (c) { return c.name === 'heatmap'; })[0];
  var hmSort = document.getElementById('hm-sort'), hmCouncils = document.getElementById('hm-councils'), hmThemes = document.getElementById('hm-themes');
  if (hmDef && hmSort) {
    var regionOf = {};
    data.councils.forEach(function (c) { regionOf[c.council] = c.region || 'Region not known'; });
    var regions = Object.keys(data.councils.reduce(function (m, c) { m[regionOf[c.council]] = 1; return m; }, {})).sort();
    if (data.focus && data.peers && data.peers.focusPeers.length) { var po = el('option', data.focus + ' and its statistical neighbours'); po.value = 'peers'; hmCouncils.appendChild(po); }
    regions.forEach(function (r) { var o = el('option', 'region: ' + r); o.value = 'region:' + r; hmCouncils.appendChild(o); });
    data.categories.forEach(function (c) { var o = el('option', c.name); o.value = c.id; hmThemes.appendChild(o); });
    var categoryOf = {};
    data.themes.forEach(function (t) { categoryOf[t.id] = t.category; });
    var hmCells = hmDef.spec.data.values;
    var themeOrder = hmDef.spec.encoding.y.sort;
    function drawHeatmap() {
      var cf = hmCouncils.value, tf = hmThemes.value;
      var peerSet = {};
      if (cf === 'peers') { peerSet[data.focus] = 1; data.peers.focusPeers.forEach(function (p) { peerSet[p] = 1; }); }
      var keepCouncil = function (c) { return !cf || (cf === 'peers' ? peerSet[c] === 1 : 'region:' + regionOf[c] === cf); };
      var cells = hmCells.filter(function (v) { return keepCouncil(v.council) && (!tf || categoryOf[v.theme] === tf); });
      var tot = {};
      cells.forEach(function (v) { var t = tot[v.council] || (tot[v.council] = [0, 0]); t[0] += v.n; t[1] += v.improvements + v.mixed; });
      var councils = data.councils.map(function (c) { return c.council; }).filter(keepCouncil);
      var share = function (c) { var t = tot[c]; return t && t[0] ? t[1] / t[0] : -1; };
      var byName = function (a, b) { return a < b ? -1 : a > b ? 1 : 0; };
      if (hmSort.value === 'share') councils.sort(function (a, b) { return share(b) - share(a) || byName(a, b); });
      else if (hmSort.value === 'region') councils.sort(function (a, b) { return byName(regionOf[a], regionOf[b]) || byName(a, b); });
      else councils.sort(byName);
      var names = {};
      cells.forEach(function (v) { names[v.themeName] = 1; });
      var spec = Object.assign({}, hmDef.spec, { data: { values: cells } });
      spec.encoding = Object.assign({}, hmDef.spec.encoding, {
        x: Object.assign({}, hmDef.spec.encoding.x, { sort: councils }),
        y: Object.assign({}, hmDef.spec.encoding.y, { sort: themeOrder.filter(function (t) { return names[t]; }) }),
      });
      var themesShown = Object.keys(names).length;
      setText('hm-summary', councils.length + ' of ' + data.councils.length + ' councils, ' + themesShown + ' of ' + data.themes.length + ' themes' + (hmSort.value === 'share' ? '; ordered by the share of areas for improvement over the themes shown' : hmSort.value === 'region' ? '; grouped by region' : ''));
      document.getElementById('chart-heatmap').setAttribute('data-councils', councils.join('|'));
      return embed({ name: 'heatmap', drill: hmDef.drill, spec: spec });
    }
    [hmSort, hmCouncils, hmThemes].forEach(function (s) { s.addEventListener('change', drawHeatmap); });
  }

  window.__views = {};
  function embed(c) {
    if (window.__views[c.name]) { window.__views[c.name].finalize(); delete window.__views[c.name]; }
    return vegaEmbed('#chart-' + c.name, c.spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
      .then(function (res) {
        window.__views[c.name] = res.view;
        if (c.drill !== 'none') res.view.addEventListener('click', function (event, item) { if (item && item.datum) select(c.drill, item.datum); });
      })
      .catch(function (err) { document.getElementById('chart-' + c.name).textContent = 'Chart failed to render: ' + err.message; });
  }
  // One chart after another, the first (the heatmap) first, each in a task of its own so the page
  // is drawn and answers clicks in between: interactive once the heatmap is drawn
  // (data-interactive), every chart drawn at data-ready.
  function nextTask() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }
  /** Marks the page interactive, with when (ms since navigation began), for tests and benchmarks. */
  function interactive() {
    if (document.body.hasAttribute('data-interactive')) return;
    document.body.setAttribute('data-interactive-ms', String(Math.round(performance.now())));
    document.body.setAttribute('data-interactive', 'true');
  }
  var pending = data.charts.reduce(function (prev, c, i) {
    return prev.then(nextTask).then(function () {
      return embed(c).then(function () { if (i === 0) interactive(); });
    });
  }, Promise.resolve());
  pending.then(function () { interactive(); document.body.setAttribute('data-ready-ms', String(Math.round(performance.now()))); document.body.setAttribute('data-ready', 'true'); });
  }
})();
`;

/** Sort and filter of the heatmap (options filled by the page from the embedded data). */
const HEATMAP_CONTROLS =
  '<form id="heatmap-controls" class="browse"><label>Order councils <select id="hm-sort"><option value="name">by name</option><option value="share">by improvement share, highest first</option><option value="region">by region, then name</option></select></label>' +
  '<label>Councils <select id="hm-councils"><option value="">all</option></select></label><label>Themes <select id="hm-themes"><option value="">all</option></select></label></form><p id="hm-summary" class="muted"></p>';

/** The complete report.html text (deterministic for the same inputs). */
export function reportHtml(data: ReportData): string {
  return reportHtmlParts(data).join('');
}

/**
 * A value as gzip-compressed JSON in base64 (script-safe: no '<' or '&'), which the page reads
 * with DecompressionStream. The gzip header's OS byte is fixed, so the bytes do not depend on the
 * platform zlib was built for.
 */
export function packJson(value: unknown): string {
  return gzipBase64(gzipSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: 9 }));
}

/** Base64 of gzip bytes, the header's OS byte fixed (see packJson). */
function gzipBase64(gz: Buffer): string {
  gz[9] = 255;
  return gz.toString('base64');
}

/** JSON text is handed to the compressor in pieces of about this many characters. */
const PACK_PIECE = 1 << 20;

/**
 * packJson of an array given as its items, made and compressed a piece at a time (the JSON text
 * of the whole array is never held). The same bytes as packJson([...items]): zlib's output does
 * not depend on how its input is cut.
 */
export async function packJsonArray(items: Iterable<unknown>): Promise<string> {
  function* pieces(): Generator<Buffer> {
    let piece = '[';
    let first = true;
    for (const item of items) {
      piece += (first ? '' : ',') + JSON.stringify(item);
      first = false;
      if (piece.length >= PACK_PIECE) {
        yield Buffer.from(piece, 'utf8');
        piece = '';
      }
    }
    yield Buffer.from(piece + ']', 'utf8');
  }
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(pieces()),
    createGzip({ level: 9 }),
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return gzipBase64(Buffer.concat(out));
}

/** One council's block of sentences (compressed JSON: packJson of its records). */
const sentenceBlock = (council: string, count: number, packed: string) => `<script type="application/octet-stream" class="sentences" data-council="${escapeHtml(council)}" data-count="${count}">${packed}</script>`;

/**
 * report.html as parts (joined, exactly reportHtml): the page, the compressed data without the
 * sentences, then one compressed block of sentences per council (read by the page when first
 * needed), then the scripts.
 */
export function reportHtmlParts(data: ReportData): string[] {
  const { sentences, ...core } = data;
  const byCouncil = new Map<string, ReportSentence[]>();
  for (const s of sentences) {
    if (!byCouncil.has(s.council)) byCouncil.set(s.council, []);
    byCouncil.get(s.council)!.push(s);
  }
  const councils = [...byCouncil.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return reportPage(core, councils.map((c) => sentenceBlock(c, byCouncil.get(c)!.length, packJson(byCouncil.get(c)))));
}

/**
 * reportHtmlParts with the sentences made and compressed a council at a time (what the pipeline
 * writes: only the compressed blocks are held, never every sentence record of the corpus).
 */
export async function reportHtmlPartsStreamed(core: Omit<ReportData, 'sentences'>, sentences: ReportSentences): Promise<string[]> {
  const blocks: string[] = [];
  for (const c of sentences.councils) blocks.push(sentenceBlock(c, sentences.count(c), await packJsonArray(sentences.records(c))));
  return reportPage(core, blocks);
}

/** The page around its data: the core data compressed, and the councils' sentence blocks. */
function reportPage(core: Omit<ReportData, 'sentences'>, sentenceBlocks: string[]): string[] {
  const packed = packJson(core);
  const bundles = browserBundles();
  const hash = createHash('sha256').update(packed);
  for (const b of sentenceBlocks) hash.update(b);
  const nonce = hash.update(CLIENT_JS).digest('base64').slice(0, 24);
  const csp = `default-src 'none'; script-src 'nonce-${nonce}' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'`;
  const chartBlocks = core.charts
    .map((c) => `<section class="chart-block"><h2>${escapeHtml(c.title)}</h2><p class="muted">Files: <a href="charts/${escapeHtml(c.name)}.vl.json">${escapeHtml(c.name)}.vl.json</a> (open in the Vega editor), <a href="charts/${escapeHtml(c.name)}.svg">SVG</a>, ${c.pngOmitted ? `no PNG (${escapeHtml(c.pngOmitted)})` : `<a href="charts/${escapeHtml(c.name)}.png">PNG</a>`}</p>${c.name === 'heatmap' ? HEATMAP_CONTROLS : ''}<div class="chart"><div id="chart-${escapeHtml(c.name)}" data-drill="${escapeHtml(c.drill)}"></div></div></section>`)
    .join('\n');
  const head = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(core.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(core.title)}</h1>
<p id="summary"></p>
<p id="window" class="muted">Window: ${escapeHtml(core.window)} (<code>--period ${escapeHtml(core.windowKey)}</code>; every inspection is listed in <a href="inspections.csv">inspections.csv</a>).</p>
<p id="focus" class="focus"></p>
<p class="muted">Data: <a href="sentences.csv">sentences.csv</a>, <a href="sentence_themes.csv">sentence_themes.csv</a>, <a href="documents.csv">documents.csv</a>, <a href="inspections.csv">inspections.csv</a>, <a href="council_themes.csv">council_themes.csv</a>, <a href="changes.csv">changes.csv</a>, <a href="trends.csv">trends.csv</a>, <a href="groups.csv">groups.csv</a>, <a href="benchmark.csv">benchmark.csv</a>, <a href="duplicates.csv">duplicates.csv</a>, <a href="emerging_terms.csv">emerging_terms.csv</a>. Improvement share = (areas for improvement + mixed) / evaluative findings on the theme.</p>
</header>
<div class="layout">
<main>
${chartBlocks}
<section id="timeline-section"><h2>Council timeline</h2>
<form class="browse"><label>Council <select id="timeline-council"></select></label></form>
<p id="timeline-note" class="muted">Each of the council's inspections (columns, oldest first) by theme: improvement share (findings), coloured from strengths to areas for improvement, faded below the minimum count. A change from the previous inspection is marked only where its 95% interval excludes no change (changes.csv). Click a cell for its sentences.</p>
<div class="wide"><table id="timeline" class="grid"></table></div>
<h3 id="council-terms-title">Phrases of this council</h3>
<ul id="council-terms"></ul>
</section>
<section id="window-section"><h2>Compare in another window</h2>
<p class="muted">The charts show the run's window. Choose another to see every council's improvement share by theme in it (the same counts as <code>--period</code> and <code>--framework</code> give).</p>
<form id="window-form" class="browse"><label>Period <select id="window-period"><option value="latest">latest full inspection</option><option value="all">all inspections</option><option value="range">years from … to …</option></select></label><label>From <input id="window-from" type="number" min="2000" max="2100" placeholder="year"></label><label>To <input id="window-to" type="number" min="2000" max="2100" placeholder="year"></label><label>Framework <select id="window-framework"><option value="">any</option><option value="earlier">before November 2013</option><option value="sif">SIF (2013–2017)</option><option value="ilacs">ILACS (2018 on)</option></select></label><button type="submit">Show</button></form>
<p id="window-summary" class="muted"></p>
<div class="wide"><table id="window-table" class="grid"></table></div>
</section>
<section id="emerging-section"><h2>Emerging phrases</h2>
<p class="muted">Noun phrases of evaluative findings that no codebook theme covers, raised in a larger share of recent inspections than of earlier ones (G² keyness, p &lt; 0.001; at least doubled; three or more councils). The interval is Newcombe's 95% interval for the difference in share.</p>
<p id="rising-note" class="muted"></p>
<table id="rising"><thead><tr><th>Phrase</th><th>Recent inspections</th><th>Earlier inspections</th><th>Change</th><th>G²</th></tr></thead><tbody></tbody></table>
</section>
<section><h2>Councils</h2>
<table id="councils"><thead><tr><th>Council</th><th>ONS code</th><th>Documents</th><th>Evaluative findings</th><th>Repeated quotations</th></tr></thead><tbody></tbody></table>
</section>
</main>
<aside id="drilldown" aria-live="polite">
<h2 id="drill-title">Sentences</h2>
<form id="browse" class="browse"><label>Council <select id="browse-council"></select></label><label>Theme <select id="browse-theme"></select></label><button type="submit">List sentences</button></form>
<form id="search" class="browse" role="search"><label>Search sentences <input id="search-words" type="search" placeholder="words, e.g. return home interview"></label><button type="submit">Search</button></form>
<p id="drill-summary" class="muted">Click a heatmap cell, bar or dot, or choose a council and theme, to list the sentences behind it.</p>
<ol id="drill-list"></ol>
</aside>
</div>
<footer>Generated by inspection-themes. Charts: Vega-Lite; the report works offline.</footer>
<script type="application/octet-stream" id="report-data" data-encoding="gzip+base64">`;
  const after = `</script>
${sentenceBlocks.join('\n')}
${bundles.map((b) => `<script nonce="${nonce}" data-lib="${b.name}">${inlineScript(b.code)}</script>`).join('\n')}
<script nonce="${nonce}">${CLIENT_JS}</script>
</body>
</html>
`;
  return [head, packed, after];
}

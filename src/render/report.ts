/**
 * outputs/report.html: one self-contained file (vega, vega-lite and vega-embed inlined; data as
 * JSON) that opens from disk with no network. Clicking a chart item lists the sentences behind
 * it. Document text only ever reaches the page as JSON data (with <, >, & escaped) and is put
 * into the DOM with textContent; a Content-Security-Policy with a script nonce and no network
 * sources is the second line of defence.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Aggregates } from '../aggregate/index.js';
import type { Benchmark } from '../aggregate/benchmark.js';
import type { Codebook } from '../theme/codebook.js';
import type { ChartDef } from './specs.js';
import { IMPROVEMENT_COLOUR, MIXED_COLOUR, STRENGTH_COLOUR } from './specs.js';

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

/** JSON safe to place inside a <script> element: no '<', '>', '&' or line separators survive literally. */
const SCRIPT_UNSAFE = /[<>&\u2028\u2029]/g;
const SCRIPT_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
export function scriptJson(value: unknown): string {
  // One pass (the report's data is ~10 MB of JSON per 40 reports: no chain of full copies).
  return JSON.stringify(value).replace(SCRIPT_UNSAFE, (c) => SCRIPT_ESCAPES[c]!);
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
  themes: { id: string; name: string }[];
  councils: { council: string; onsCode: string; documents: number; evaluative: number; duplicates: number; isPeer: boolean }[];
  docs: Record<string, { council: string; date: string; type: string }>;
  /** Counted (de-duplicated) evaluative findings with at least one theme, in document order. */
  sentences: { id: string; doc: string; council: string; label: string; section: string; text: string; evidence: string; themes: string[]; alsoIn: string[] }[];
  charts: { name: string; title: string; drill: string; spec: unknown }[];
}

export function reportData(agg: Aggregates, codebook: Codebook, bench: Benchmark, charts: ChartDef[]): ReportData {
  const alsoIn = new Map<string, Set<string>>();
  for (const d of agg.duplicates) {
    if (!alsoIn.has(d.duplicateOf)) alsoIn.set(d.duplicateOf, new Set());
    alsoIn.get(d.duplicateOf)!.add(d.doc);
  }
  const peers = new Set(bench.focusPeers);
  const counted = agg.findings.filter((f) => f.code !== 'N' && f.themes.length > 0 && !(f.id in agg.duplicateOf));
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
    themes: codebook.themes.map((t) => ({ id: t.id, name: t.name })),
    councils: agg.councilInfo.map((c) => ({ council: c.council, onsCode: c.onsCode, documents: c.documents.length, evaluative: c.evaluative, duplicates: c.duplicates, isPeer: peers.has(c.council) })),
    docs: Object.fromEntries(agg.documents.map((d) => [d.id, { council: agg.councilOf[d.id], date: d.meta.date, type: d.meta.documentType }])),
    sentences: counted.map((f) => ({
      id: f.id,
      doc: f.doc,
      council: agg.councilOf[f.doc],
      label: f.label,
      section: f.sectionPath.join(' > '),
      text: f.text,
      evidence: [...f.evidence.map((e) => `${e.kind}: ${e.value}`), ...f.themes.map((t) => `theme ${t.theme}: ${t.terms.join(', ')}`)].join('; '),
      themes: f.themes.map((t) => t.theme),
      alsoIn: [...(alsoIn.get(f.id) ?? [])].sort(),
    })),
    charts: charts.map((c) => ({ name: c.name, title: c.title, drill: c.drill, spec: c.spec })),
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
form.browse { display: flex; flex-wrap: wrap; gap: 6px; align-items: end; margin-bottom: 8px; font-size: 13px; }
`;

const CLIENT_JS = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var themeName = {};
  data.themes.forEach(function (t) { themeName[t.id] = t.name; });
  var labelName = { strength: 'Strength', improvement: 'Area for improvement', mixed: 'Mixed', neutral: 'Neutral' };
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

  function show(title, rows) {
    setText('drill-title', title);
    setText('drill-summary', rows.length ? rows.length + ' sentence' + (rows.length === 1 ? '' : 's') + ' (each finding counted once per council and inspection)' : 'No evaluative sentences here.');
    var list = document.getElementById('drill-list');
    list.textContent = '';
    rows.forEach(function (s) {
      var li = document.createElement('li');
      li.setAttribute('data-sentence-id', s.id);
      var doc = data.docs[s.doc] || { council: '', date: '', type: '' };
      var meta = el('div', null, 'meta');
      meta.appendChild(el('span', labelName[s.label] || s.label, 'label label-' + s.label));
      meta.appendChild(el('span', s.doc, 'doc'));
      meta.appendChild(el('span', [s.council, doc.type, doc.date].filter(Boolean).join(', '), 'muted'));
      li.appendChild(meta);
      if (s.section) li.appendChild(el('div', s.section, 'section muted'));
      li.appendChild(el('p', s.text, 'text'));
      li.appendChild(el('div', 'Evidence: ' + s.evidence + (s.alsoIn.length ? '. Also quoted in ' + s.alsoIn.join(', ') : ''), 'evidence muted'));
      list.appendChild(li);
    });
    document.getElementById('drilldown').setAttribute('data-selection', title);
    var box = document.getElementById('drilldown').getBoundingClientRect();
    if (box.top > window.innerHeight || box.bottom < 0) document.getElementById('drilldown').scrollIntoView({ block: 'start' });
  }
  function select(drill, d) {
    if (!d || typeof d.theme !== 'string') return;
    var rows, title;
    if (drill === 'theme_improvement') {
      rows = data.sentences.filter(function (s) { return s.themes.indexOf(d.theme) >= 0 && (s.label === 'improvement' || s.label === 'mixed'); });
      title = (themeName[d.theme] || d.theme) + ': areas for improvement, all councils';
    } else {
      if (typeof d.council !== 'string') return;
      rows = data.sentences.filter(function (s) { return s.council === d.council && s.themes.indexOf(d.theme) >= 0 && (drill !== 'council_theme_label' || s.label === d.label); });
      title = d.council + ' / ' + (themeName[d.theme] || d.theme) + (drill === 'council_theme_label' ? ' / ' + (labelName[d.label] || d.label) : '');
    }
    show(title, rows);
    if (typeof syncBrowse === 'function') syncBrowse(d);
  }
  window.__reportSelect = select;

  var cSel = document.getElementById('browse-council'), tSel = document.getElementById('browse-theme');
  data.councils.forEach(function (c) { var o = el('option', c.council); o.value = c.council; cSel.appendChild(o); });
  data.themes.forEach(function (t) { var o = el('option', t.name); o.value = t.id; tSel.appendChild(o); });
  if (data.focus) cSel.value = data.focus;
  function syncBrowse(d) { if (typeof d.council === 'string') cSel.value = d.council; if (typeof d.theme === 'string') tSel.value = d.theme; }
  document.getElementById('browse').addEventListener('submit', function (e) { e.preventDefault(); select('council_theme', { council: cSel.value, theme: tSel.value }); });

  window.__views = {};
  var pending = data.charts.map(function (c) {
    return vegaEmbed('#chart-' + c.name, c.spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
      .then(function (res) {
        window.__views[c.name] = res.view;
        if (c.drill !== 'none') res.view.addEventListener('click', function (event, item) { if (item && item.datum) select(c.drill, item.datum); });
      })
      .catch(function (err) { document.getElementById('chart-' + c.name).textContent = 'Chart failed to render: ' + err.message; });
  });
  Promise.all(pending).then(function () { document.body.setAttribute('data-ready', 'true'); });
})();
`;

/** The complete report.html text (deterministic for the same inputs). */
export function reportHtml(data: ReportData): string {
  return reportHtmlParts(data).join('');
}

/**
 * report.html as [before the data, the data JSON, after the data] (joined, exactly reportHtml):
 * written part by part, the ~10 MB-per-40-reports JSON is never copied into one more full string.
 */
export function reportHtmlParts(data: ReportData): string[] {
  const json = scriptJson(data);
  const bundles = browserBundles();
  const nonce = createHash('sha256').update(json).update(CLIENT_JS).digest('base64').slice(0, 24);
  const csp = `default-src 'none'; script-src 'nonce-${nonce}' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'`;
  const chartBlocks = data.charts
    .map((c) => `<section class="chart-block"><h2>${escapeHtml(c.title)}</h2><p class="muted">Files: <a href="charts/${escapeHtml(c.name)}.vl.json">${escapeHtml(c.name)}.vl.json</a> (open in the Vega editor), <a href="charts/${escapeHtml(c.name)}.svg">SVG</a>, <a href="charts/${escapeHtml(c.name)}.png">PNG</a></p><div class="chart"><div id="chart-${escapeHtml(c.name)}" data-drill="${escapeHtml(c.drill)}"></div></div></section>`)
    .join('\n');
  const head = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(data.title)}</h1>
<p id="summary"></p>
<p id="window" class="muted">Window: ${escapeHtml(data.window)} (<code>--period ${escapeHtml(data.windowKey)}</code>; every inspection is listed in <a href="inspections.csv">inspections.csv</a>).</p>
<p id="focus" class="focus"></p>
<p class="muted">Data: <a href="sentences.csv">sentences.csv</a>, <a href="documents.csv">documents.csv</a>, <a href="inspections.csv">inspections.csv</a>, <a href="council_themes.csv">council_themes.csv</a>, <a href="changes.csv">changes.csv</a>, <a href="trends.csv">trends.csv</a>, <a href="groups.csv">groups.csv</a>, <a href="benchmark.csv">benchmark.csv</a>, <a href="duplicates.csv">duplicates.csv</a>, <a href="emerging_terms.csv">emerging_terms.csv</a>. Improvement share = (areas for improvement + mixed) / evaluative findings on the theme.</p>
</header>
<div class="layout">
<main>
${chartBlocks}
<section><h2>Councils</h2>
<table id="councils"><thead><tr><th>Council</th><th>ONS code</th><th>Documents</th><th>Evaluative findings</th><th>Repeated quotations</th></tr></thead><tbody></tbody></table>
</section>
</main>
<aside id="drilldown" aria-live="polite">
<h2 id="drill-title">Sentences</h2>
<form id="browse" class="browse"><label>Council <select id="browse-council"></select></label><label>Theme <select id="browse-theme"></select></label><button type="submit">List sentences</button></form>
<p id="drill-summary" class="muted">Click a heatmap cell, bar or dot, or choose a council and theme, to list the sentences behind it.</p>
<ol id="drill-list"></ol>
</aside>
</div>
<footer>Generated by inspection-themes. Charts: Vega-Lite; the report works offline.</footer>
<script type="application/json" id="report-data">`;
  const after = `</script>
${bundles.map((b) => `<script nonce="${nonce}" data-lib="${b.name}">${inlineScript(b.code)}</script>`).join('\n')}
<script nonce="${nonce}">${CLIENT_JS}</script>
</body>
</html>
`;
  return [head, json, after];
}

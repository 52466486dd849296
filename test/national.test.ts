/**
 * The national corpus (../shared/corpus-ofsted-national: 430 Ofsted reports of 153 councils,
 * 2012–2025, four of them HTML error pages saved as .pdf), run once through the CLI in a child
 * process: every report is typed and graded, its dates are named as such, and inspections.csv
 * holds one record per inspection. Without ../shared the suite is skipped, except in CI, where it fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { FULL_INSPECTION_KINDS } from '../src/vocab/documents.js';
import { CHROMIUM, withoutChromium, withoutShared } from './helpers.js';

const NATIONAL = resolve(process.cwd(), '../shared/corpus-ofsted-national');
const CLI = join(process.cwd(), 'dist/src/cli.js');
const readCsv = (path: string) => Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
const DAY_MS = 86_400_000;


/** The heatmap's sort and filter as the test sets them: one region, one theme category, by share. */
interface HeatmapQuery {
  region: string;
  category: string;
  /** The councils of the region, highest improvement share over the category's themes first (from council_themes.csv). */
  expected: string[];
  /** Theme ids of the category. */
  themes: string[];
}

/**
 * Open the national report.html in Debian's chromium: the time until it is interactive (every chart
 * drawn), then a heatmap cell clicked (the sentences listed, and those sentences.csv says are behind
 * it), then a search for a phrase, then the heatmap sorted and filtered.
 */
async function openReport(dir: string, sentences: Record<string, string>[], query: HeatmapQuery) {
  const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await b.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t0 = performance.now();
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
    // Interactive: the data read and the first chart (the heatmap) drawn; the others follow one by one.
    await page.waitForSelector('body[data-interactive="true"]', { timeout: 120_000 });
    const seenMs = performance.now() - t0;
    // When the page itself says it became interactive (since navigation began: the data read, the
    // heatmap drawn); the other charts are drawn after it, one task each.
    const loadMs = Number(await page.getAttribute('body', 'data-interactive-ms'));
    const spec = JSON.parse(readFileSync(join(dir, 'charts', 'heatmap.vl.json'), 'utf8')) as { data: { values: { council: string; theme: string; themeFull: string; n: number }[] } };
    const cell = spec.data.values.filter((v) => v.n >= 3).sort((x, y) => (x.council + x.theme < y.council + y.theme ? -1 : 1))[0]!;
    const expected = sentences
      .filter((r) => r.council === cell.council && r.in_window === 'true' && r.label !== 'neutral' && r.duplicate_of === '' && r.themes!.split(';').includes(cell.theme))
      .map((r) => r.sentence_id);
    const t1 = performance.now();
    await page.locator(`#chart-heatmap path[aria-label^=${JSON.stringify(`${cell.council}, ${cell.themeFull}:`)}]`).click({ position: { x: 4, y: 4 } });
    await page.waitForSelector('#drill-list li');
    const clickMs = performance.now() - t1;
    const listed = await page.$$eval('#drill-list li', (lis) => lis.map((li) => li.getAttribute('data-sentence-id')));
    await page.fill('#search-words', 'cost of living');
    await page.click('#search button');
    await page.waitForSelector('#drilldown[data-hits]');
    const hits = Number(await page.getAttribute('#drilldown', 'data-hits'));
    const found = await page.$$eval('#drill-list li .text', (els) => els.map((e) => e.textContent ?? ''));
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    const readyMs = Number(await page.getAttribute('body', 'data-ready-ms'));
    // The rising phrases listed, and the first one's example sentences.
    const risingShown = await page.$$eval('#rising tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-term') ?? ''));
    let risingListed: (string | null)[] = [];
    if (risingShown.length) {
      await page.click(`#rising tbody tr[data-term="${risingShown[0]}"]`);
      await page.waitForFunction((t) => (document.getElementById('drill-title')?.textContent ?? '').includes(t), risingShown[0]);
      risingListed = await page.$$eval('#drill-list li', (lis) => lis.map((li) => li.getAttribute('data-sentence-id')));
    }
    // Sort by share, keep one region and one theme category: the order the page chose, and the cells drawn.
    await page.selectOption('#hm-sort', 'share');
    await page.selectOption('#hm-councils', `region:${query.region}`);
    await page.selectOption('#hm-themes', query.category);
    await page.waitForFunction((n) => (document.getElementById('chart-heatmap')?.getAttribute('data-councils') ?? '').split('|').length === n && document.querySelectorAll('#chart-heatmap path[aria-label]').length > 0, query.expected.length);
    await page.waitForTimeout(200);
    const order = ((await page.getAttribute('#chart-heatmap', 'data-councils')) ?? '').split('|');
    const drawn = await page.$$eval('#chart-heatmap path[aria-label]', (ps) => ps.map((p) => p.getAttribute('aria-label') ?? ''));
    const summary = await page.textContent('#hm-summary');
    return { loadMs, seenMs, readyMs, clickMs, bytes: statSync(join(dir, 'report.html')).size, cell, listed, expected, hits, found, errors, order, drawn, summary, heatmapCells: spec.data.values, risingShown, risingListed };
  } finally {
    await b.close();
  }
}

const days = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS;

describe.skipIf(withoutShared(join(NATIONAL, 'manifest.csv')))('the national corpus (430 reports)', () => {
  let out: string;
  let documents: Record<string, string>[];
  let inspections: Record<string, string>[];
  let report: { skipped: { file: string; code: string; reason: string }[]; window: { period: string; inspections: number }; omitted: { file: string; reason: string }[] };
  /** Megapixels of each chart at 1x, read off its SVG's root element. */
  let megapixels: Map<string, number>;
  const manifest = existsSync(join(NATIONAL, 'manifest.csv')) ? new Map(readCsv(join(NATIONAL, 'manifest.csv')).map((r) => [r.file!, r])) : new Map();

  let pooled: Record<string, string>[];
  let charts: string[];
  let html: string;
  let trendSpec: { data: { values: { year: string; theme: string; n: number }[] } };
  let changeSpec: { data: { values: { council: string; direction: string; low: number; high: number }[] } };
  let changes: Record<string, string>[];
  let groups: Record<string, string>[];
  let trends: Record<string, string>[];
  let latestThemes: Record<string, string>[];
  let sentences: Record<string, string>[];
  let pooledReport: { window: { period: string; inspections: number } };
  let emerging: Record<string, string>[];
  /** What Chromium saw of the national report.html (see openReport). */
  let browser: Awaited<ReturnType<typeof openReport>> | undefined;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'it-national-'));
    const run = (dir: string, ...args: string[]) =>
      new Promise<number | null>((res) => {
        const p = spawn(process.execPath, [CLI, 'run', NATIONAL, '--out', join(out, dir), '--cache-dir', join(out, 'cache'), '-q', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
        p.on('close', res);
      });
    // 3: completed, some documents skipped (the four error pages). The second run reuses the cache.
    expect(await run('o')).toBe(3);
    expect(await run('all', '--period', 'all')).toBe(3);
    documents = readCsv(join(out, 'o', 'documents.csv'));
    inspections = readCsv(join(out, 'o', 'inspections.csv'));
    latestThemes = readCsv(join(out, 'o', 'council_themes.csv'));
    changes = readCsv(join(out, 'o', 'changes.csv'));
    groups = readCsv(join(out, 'o', 'groups.csv'));
    trends = readCsv(join(out, 'o', 'trends.csv'));
    sentences = readCsv(join(out, 'all', 'sentences.csv'));
    pooled = readCsv(join(out, 'all', 'council_themes.csv'));
    report = JSON.parse(readFileSync(join(out, 'o', 'run_report.json'), 'utf8'));
    charts = readdirSync(join(out, 'o', 'charts')).sort();
    megapixels = new Map(
      charts.filter((f) => f.endsWith('.svg')).map((f) => {
        const root = /<svg\b[^>]*>/.exec(readFileSync(join(out, 'o', 'charts', f), 'utf8'))![0];
        const dim = (a: string) => Number(new RegExp(`\\s${a}="([\\d.]+)"`).exec(root)![1]);
        return [f.replace(/\.svg$/, ''), (dim('width') * dim('height')) / 1e6];
      }),
    );
    html = readFileSync(join(out, 'o', 'report.html'), 'utf8');
    trendSpec = JSON.parse(readFileSync(join(out, 'o', 'charts', 'trends.vl.json'), 'utf8'));
    changeSpec = JSON.parse(readFileSync(join(out, 'o', 'charts', 'changes.vl.json'), 'utf8'));
    pooledReport = JSON.parse(readFileSync(join(out, 'all', 'run_report.json'), 'utf8'));
    emerging = readCsv(join(out, 'o', 'emerging_terms.csv'));
    if (!withoutChromium()) browser = await openReport(join(out, 'o'), readCsv(join(out, 'o', 'sentences.csv')), heatmapQuery());
    rmSync(out, { recursive: true, force: true });
  }, 900_000);

  it('reads every report but the four HTML error pages, which are reported as HTML saved as .pdf', () => {
    const pdfs = [...manifest.keys()];
    expect(pdfs.length).toBe(430);
    expect(report.skipped.map((s) => s.code)).toEqual(['wrong_format', 'wrong_format', 'wrong_format', 'wrong_format']);
    for (const s of report.skipped as { reason: string }[]) expect(s.reason).toMatch(/^an HTML page saved as \.pdf/);
    const read = new Set(documents.map((d) => d.doc));
    for (const f of pdfs) expect(read.has(f) || report.skipped.some((s) => s.file === f), f).toBe(true);
  });

  it('types every report as a full inspection (or the one LSCB review) and gives each its overall grade and framework', () => {
    const reports = documents.filter((d) => d.doc!.endsWith('.pdf'));
    expect(reports.length).toBe(426);
    const bad = reports.filter((d) => !['full_inspection', 'lscb_review'].includes(d.document_type!) || !d.overall_grade || !d.framework);
    expect(bad.map((d) => `${d.doc} ${d.document_type} ${d.overall_grade} ${d.framework}`)).toEqual([]);
    expect(reports.filter((d) => d.document_type === 'lscb_review').length).toBe(1);
  });

  it('names the publication date (the manifest) and the days on site (the text), on site before published', () => {
    const reports = documents.filter((d) => d.doc!.endsWith('.pdf'));
    for (const d of reports) {
      expect(d.published, d.doc).toBe(manifest.get(d.doc!)!.published);
      expect(d.inspection_start, d.doc).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const onSite = days(d.inspection_start!, d.inspection_end!);
      expect(onSite >= 0 && onSite <= 40, `${d.doc}: ${d.inspection_start}..${d.inspection_end}`).toBe(true);
      const wait = days(d.inspection_end!, d.published!);
      // Publication follows within weeks, rarely months (Surrey 2015: seven months).
      expect(wait >= 0 && wait <= 250, `${d.doc}: ended ${d.inspection_end}, published ${d.published}`).toBe(true);
    }
  });

  it('inspections.csv: one record per inspection of documents.csv, with its documents and their sentences', () => {
    const ids = new Set(documents.map((d) => d.inspection));
    expect(inspections.map((r) => r.inspection).sort()).toEqual([...ids].sort());
    const sentencesOf = new Map<string, number>();
    for (const d of documents) sentencesOf.set(d.inspection!, (sentencesOf.get(d.inspection!) ?? 0) + Number(d.sentences));
    for (const r of inspections) {
      expect(Number(r.sentences), r.inspection).toBe(sentencesOf.get(r.inspection!));
      expect(Number(r.strength) + Number(r.improvement) + Number(r.mixed) + Number(r.neutral) + Number(r.duplicates)).toBe(Number(r.sentences));
      expect(r.document_ids!.split(';')[0]).toBe(r.inspection);
    }
    const kinds = new Set(inspections.filter((r) => r.inspection!.endsWith('.pdf')).map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['earlier_inspection', 'ilacs_short', 'ilacs_standard', 'sif_inspection']);
    // An ILACS short inspection is one week on site, a standard one two.
    for (const r of inspections.filter((x) => x.kind === 'ilacs_short')) expect(days(r.inspection_start!, r.inspection_end!)).toBeLessThanOrEqual(6);
    for (const r of inspections.filter((x) => x.kind === 'ilacs_standard')) expect(days(r.inspection_start!, r.inspection_end!)).toBeGreaterThan(6);
  });

  it('the default window compares exactly one full inspection per council (its latest), and says so', () => {
    const inWindow = inspections.filter((r) => r.in_window === 'true');
    const full = inWindow.filter((r) => (FULL_INSPECTION_KINDS as readonly string[]).includes(r.kind!));
    const councils = new Set(inspections.filter((r) => r.inspection!.endsWith('.pdf')).map((r) => r.council));
    expect(councils.size).toBe(153);
    expect(full.length).toBe(councils.size);
    expect(new Set(full.map((r) => r.council)).size).toBe(councils.size);
    for (const r of full) {
      const later = inspections.filter((x) => x.council === r.council && x.inspection_start! > r.inspection_start!);
      expect(later.filter((x) => x.kind !== r.kind && x.in_window !== 'true'), r.council).toEqual([]);
      expect(inspections.filter((x) => x.council === r.council && x.inspection_start! > r.inspection_start! && x.kind === r.kind)).toEqual([]);
    }
    expect(report.window.period).toBe('latest');
    expect(report.window.inspections).toBe(inWindow.length);
    expect(new Set(latestThemes.map((r) => r.window))).toEqual(new Set(['latest']));
  });

  it('--period all pools every inspection: council x theme counts are the sums over all counted sentences', () => {
    expect(pooledReport.window.period).toBe('all');
    expect(pooledReport.window.inspections).toBe(inspections.length);
    const expected = new Map<string, number>();
    for (const f of sentences) {
      if (f.label === 'neutral' || f.duplicate_of) continue;
      for (const t of f.themes!.split(';').filter(Boolean)) expected.set(`${f.council}|${t}`, (expected.get(`${f.council}|${t}`) ?? 0) + 1);
    }
    for (const r of pooled) expect(Number(r.theme_evaluative), `${r.council} ${r.theme}`).toBe(expected.get(`${r.council}|${r.theme}`) ?? 0);
    // The pooled window counts more findings than the latest one wherever a council has several inspections.
    const sum = (rows: Record<string, string>[]) => rows.reduce((n, r) => n + Number(r.theme_evaluative), 0);
    expect(sum(pooled)).toBeGreaterThan(sum(latestThemes));
  });

  it('changes.csv covers every council with two or more inspections, each against the one before, with the sentences behind both', () => {
    const byCouncil = new Map<string, Record<string, string>[]>();
    for (const r of inspections.filter((x) => x.inspection!.endsWith('.pdf'))) {
      if (!byCouncil.has(r.council!)) byCouncil.set(r.council!, []);
      byCouncil.get(r.council!)!.push(r);
    }
    const several = [...byCouncil].filter(([, l]) => l.length >= 2).map(([c]) => c).sort();
    expect(several.length).toBeGreaterThan(100);
    expect([...new Set(changes.map((r) => r.council))].sort()).toEqual(several);
    const ids = new Set(sentences.map((s) => s.sentence_id));
    for (const r of changes.slice(0, 500)) {
      for (const id of [...r.previous_sentence_ids!.split(';'), ...r.sentence_ids!.split(';')].filter(Boolean)) expect(ids.has(id), id).toBe(true);
      expect(r.previous_date! < r.date!).toBe(true);
      if (r.direction === 'improved') expect(Number(r.change_high)).toBeLessThan(0);
      if (r.direction === 'deteriorated') expect(Number(r.change_low)).toBeGreaterThan(0);
    }
    expect(changes.some((r) => r.direction === 'improved') && changes.some((r) => r.direction === 'deteriorated')).toBe(true);
  });

  it('trends.csv: per theme by year and by framework, over the full inspections', () => {
    const years = trends.filter((t) => t.by === 'year' && t.theme === 'supervision_recording');
    expect(years.map((t) => t.group)).toEqual([...new Set(years.map((t) => t.group))].sort());
    expect(years.reduce((n, t) => n + Number(t.inspections), 0)).toBe(inspections.filter((r) => (FULL_INSPECTION_KINDS as readonly string[]).includes(r.kind!)).length);
    expect(trends.filter((t) => t.by === 'framework' && t.theme === 'supervision_recording').map((t) => t.group)).toEqual(['earlier', 'ilacs', 'sif']);
  });

  it('the trend and change charts exist as .vl.json, SVG and PNG and in the report, drawn from trends.csv and changes.csv', () => {
    for (const name of ['trends', 'changes']) for (const ext of ['vl.json', 'svg', 'png']) expect(charts).toContain(`${name}.${ext}`);
    expect(html).toContain('id="chart-trends"');
    expect(html).toContain('id="chart-changes"');
    const years = trends.filter((t) => t.by === 'year');
    expect(trendSpec.data.values.length).toBe(years.length);
    for (const v of trendSpec.data.values.slice(0, 60)) expect(v.n).toBe(Number(years.find((t) => t.group === v.year && t.theme === v.theme)!.findings));
    expect(changeSpec.data.values.length).toBe(30);
    for (const v of changeSpec.data.values) {
      expect(['improved', 'deteriorated']).toContain(v.direction);
      expect(v.direction === 'improved' ? v.high < 0 : v.low > 0).toBe(true);
    }
  });

  it('a chart too large for a PNG (the small multiples of 150 councils) is written as SVG only, and the run report and report.html say why', () => {
    const large = [...megapixels].filter(([, mp]) => mp > 16).map(([name]) => name).sort();
    expect(large).toEqual(['balance', 'profile']);
    for (const [name] of megapixels) expect(charts.includes(`${name}.png`), name).toBe(!large.includes(name));
    expect(report.omitted.map((o) => o.file)).toEqual(large.map((n) => `charts/${n}.png`));
    for (const o of report.omitted) expect(o.reason).toMatch(/^[\d,]+ x [\d,]+ px \([\d.]+ megapixels\) at 1x is over the 16-megapixel PNG limit/);
    for (const n of large) {
      expect(html).not.toContain(`href="charts/${n}.png"`);
      expect(html).toMatch(new RegExp(`href="charts/${n}\\.svg">SVG</a>, no PNG \\(`));
    }
    expect(html).toContain('href="charts/heatmap.png"');
  });

  it('groups.csv: the default window by the nine regions and by overall grade, with the weaker-minus-stronger contrast per theme', () => {
    const regions = new Set(groups.filter((g) => g.by === 'region').map((g) => g.group));
    expect(regions.size).toBe(9);
    expect(new Set(groups.filter((g) => g.by === 'grade').map((g) => g.group))).toEqual(new Set(['outstanding', 'good', 'requires_improvement', 'inadequate']));
    const contrast = groups.filter((g) => g.by === 'grade_contrast');
    expect(contrast.length).toBe(new Set(groups.map((g) => g.theme)).size);
    // In the window every council is counted once, so the grade groups' inspections sum to the full inspections.
    const byGrade = groups.filter((g) => g.by === 'grade' && g.theme === 'care_leavers').reduce((n, g) => n + Number(g.inspections), 0);
    expect(byGrade).toBe(153);
  });

  it('emerging_terms.csv: rising phrases are multi-word topics, more common in recent inspections than earlier ones, significantly', () => {
    const rising = emerging.filter((r) => r.scope === 'rising');
    expect(rising.length).toBeGreaterThanOrEqual(20);
    const top = rising.slice(0, 20);
    // The acceptance list: no single word, in particular no generic one ("looked", "access", "seen").
    for (const r of top) expect(r.term!.split(' ').length, r.term).toBeGreaterThanOrEqual(2);
    for (const r of top) {
      expect(Number(r.recent_share), r.term).toBeGreaterThan(2 * Number(r.earlier_share) - 1e-9);
      expect(Number(r.score), r.term).toBeGreaterThanOrEqual(10.83);
      expect(Number(r.change_low), r.term).toBeGreaterThan(0);
      expect(Number(r.councils), r.term).toBeGreaterThanOrEqual(3);
      expect(r.window).toBe('all');
      // Its examples are real sentences of the corpus that hold the phrase.
      const ex = r.examples!.split(';')[0]!;
      const text = sentences.find((s) => s.sentence_id === ex)!.text!;
      expect(text.toLowerCase().replace(/[’']/g, '').replace(/[^a-z]+/g, ' ')).toContain(r.term);
    }
    // Genre vocabulary used in most inspections of both periods is never rising.
    const ranked = new Set(rising.map((r) => r.term));
    expect(ranked.has('social workers')).toBe(false);
    expect(ranked.has('small number of children')).toBe(false);
    // Per-council phrases exist for the window, each over-represented in its council.
    const council = emerging.filter((r) => r.scope === 'council');
    expect(new Set(council.map((r) => r.council)).size).toBeGreaterThan(100);
    for (const r of council) expect(Number(r.log_ratio)).toBeGreaterThanOrEqual(1);
  });

  /** The region with the most councils, the 'practice_quality' category, councils ordered from council_themes.csv. */
  function heatmapQuery(): HeatmapQuery {
    const codebook = JSON.parse(readFileSync(join(process.cwd(), 'codebook', 'codebook.json'), 'utf8')) as { themes: { id: string; category: string }[] };
    const category = 'practice_quality';
    const themes = codebook.themes.filter((t) => t.category === category).map((t) => t.id);
    const regionOf = new Map(documents.map((d) => [d.council!, d.region || 'Region not known']));
    const perRegion = new Map<string, Set<string>>();
    for (const [c, r] of regionOf) perRegion.set(r, (perRegion.get(r) ?? new Set()).add(c));
    const region = [...perRegion].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))[0]![0];
    const share = new Map<string, number>();
    for (const c of perRegion.get(region)!) {
      const rows = latestThemes.filter((r) => r.council === c && themes.includes(r.theme!));
      const n = rows.reduce((s, r) => s + Number(r.theme_evaluative), 0);
      const imp = rows.reduce((s, r) => s + Number(r.improvements) + Number(r.mixed), 0);
      share.set(c, n ? imp / n : -1);
    }
    const expected = [...share.keys()].sort((a, b) => share.get(b)! - share.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
    return { region, category, expected, themes };
  }

  it.skipIf(withoutChromium())('the heatmap sorts by improvement share and keeps only one region and one theme category', () => {
    const r = browser!;
    const q = heatmapQuery();
    expect(q.expected.length).toBeGreaterThan(10);
    expect(r.order).toEqual(q.expected);
    // Every cell drawn is a council of the region and a theme of the category, and each such cell with findings is drawn.
    const keep = r.heatmapCells.filter((v) => q.expected.includes(v.council) && q.themes.includes(v.theme));
    for (const label of r.drawn) expect(keep.some((v) => label.startsWith(`${v.council}, ${v.themeFull}:`)), label).toBe(true);
    expect(r.drawn.length).toBe(keep.length);
    expect(r.summary).toContain(`${q.expected.length} of ${new Set(r.heatmapCells.map((v) => v.council)).size} councils, ${q.themes.length} of 30 themes`);
  });

  it.skipIf(withoutChromium())('report.html opens in chromium, lists the sentences of a heatmap cell and finds sentences by words', () => {
    const r = browser!;
    // For the closing note: how long the national report takes to become interactive, and its size.
    console.log(`national report.html: ${(r.bytes / 1e6).toFixed(1)} MB, interactive after ${(r.loadMs / 1000).toFixed(1)} s (seen by the test after ${(r.seenMs / 1000).toFixed(1)} s), every chart drawn after ${(r.readyMs / 1000).toFixed(1)} s, heatmap cell listed in ${Math.round(r.clickMs)} ms`);
    expect(r.bytes).toBeLessThanOrEqual(25e6);
    expect(r.errors).toEqual([]);
    expect(r.expected.length).toBeGreaterThanOrEqual(3);
    expect(r.listed).toEqual(r.expected);
    expect(r.hits).toBeGreaterThan(0);
    for (const t of r.found) for (const w of ['cost', 'of', 'living']) expect(t.toLowerCase()).toContain(w);
  });

  it.skipIf(withoutChromium())('report.html lists the rising phrases of emerging_terms.csv and a click shows their example sentences', () => {
    const r = browser!;
    const rising = emerging.filter((e) => e.scope === 'rising');
    expect(rising.length).toBeGreaterThan(0);
    expect(r.risingShown).toEqual(rising.map((e) => e.term));
    expect(r.risingListed).toEqual(rising[0]!.examples!.split(';'));
  });
});

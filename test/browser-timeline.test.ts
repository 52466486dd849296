/**
 * The report's council timeline and window controls in a real browser (Debian's chromium driven by
 * playwright-core), on nine real Ofsted reports of three councils with three inspections each
 * (2014–2024, from ../shared/corpus-ofsted-national). What the page computes is checked against the
 * CSVs of runs made with the matching --period and --framework.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, withoutChromium, withoutShared } from './helpers.js';


const CLI = join(process.cwd(), 'dist/src/cli.js');
const NATIONAL = resolve(process.cwd(), '../shared/corpus-ofsted-national');
const FILES = [
  'darlington_2015-09-01.pdf',
  'darlington_2018-05-21.pdf',
  'darlington_2022-12-02.pdf',
  'hartlepool_2014-02-11.pdf',
  'hartlepool_2018-08-28.pdf',
  'hartlepool_2024-05-16.pdf',
  'rutland_2017-02-13.pdf',
  'rutland_2020-04-15.pdf',
  'rutland_2024-07-12.pdf',
];

type Row = Record<string, string>;
const readCsv = (p: string) => Papa.parse<Row>(readFileSync(p, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe.skipIf(withoutChromium() || withoutShared(NATIONAL))('report.html: council timeline and window controls in chromium', () => {
  let out: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const runs: Record<'latest' | 'all' | 'ilacs', { themes: Row[]; dir: string }> = {} as never;
  let sentences: Row[];
  let inspections: Row[];
  let changes: Row[];

  beforeAll(async () => {
    const corpus = mkdtempSync(join(tmpdir(), 'it-timeline-corpus-'));
    for (const f of FILES) copyFileSync(join(NATIONAL, f), join(corpus, f));
    const manifest = readFileSync(join(NATIONAL, 'manifest.csv'), 'utf8').split('\n');
    writeFileSync(join(corpus, 'manifest.csv'), [manifest[0], ...manifest.filter((l) => FILES.some((f) => l.startsWith(`${f},`)))].join('\n') + '\n');
    out = mkdtempSync(join(tmpdir(), 'it-timeline-out-'));
    const run = (name: keyof typeof runs, ...args: string[]) => {
      const dir = join(out, name);
      execFileSync(process.execPath, [CLI, 'run', corpus, '--out', dir, '--cache-dir', join(out, 'cache'), '--quiet', ...args]);
      runs[name] = { dir, themes: readCsv(join(dir, 'council_themes.csv')) };
    };
    run('latest', '--focus', 'Darlington');
    run('all', '--period', 'all');
    run('ilacs', '--period', '2018..2025', '--framework', 'ilacs');
    sentences = readCsv(join(out, 'all', 'sentences.csv'));
    inspections = readCsv(join(out, 'latest', 'inspections.csv'));
    changes = readCsv(join(out, 'latest', 'changes.csv'));

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(join(out, 'latest', 'report.html')).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Counted evaluative findings of the all-inspections run, per inspection and theme: [n, areas for improvement + mixed, ids]. */
  const counted = () => {
    const cells = new Map<string, { n: number; k: number; ids: string[] }>();
    for (const s of sentences) {
      if (s.label === 'neutral' || s.duplicate_of) continue;
      for (const t of s.themes!.split(';').filter(Boolean)) {
        const key = `${s.inspection} ${t}`;
        const c = cells.get(key) ?? { n: 0, k: 0, ids: [] };
        c.n++;
        if (s.label !== 'strength') c.k++;
        c.ids.push(s.sentence_id!);
        cells.set(key, c);
      }
    }
    return cells;
  };

  it('opens on the focus council, one column per inspection in date order, with no errors', async () => {
    // As opened, whatever the other tests picked before this one.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.inputValue('#timeline-council')).toBe('Darlington');
    const cols = await page.$$eval('#timeline thead th[data-inspection]', (ths) => ths.map((th) => th.getAttribute('data-inspection')));
    const expected = inspections.filter((r) => r.council === 'Darlington').sort((a, b) => (a.inspection_start! < b.inspection_start! ? -1 : 1)).map((r) => r.inspection);
    expect(expected.length).toBe(3);
    expect(cols).toEqual(expected);
    expect(consoleErrors).toEqual([]);
  });

  it("picking a council shows its timeline by theme: each cell's counts and the supported changes of changes.csv", async () => {
    await page.selectOption('#timeline-council', 'Hartlepool');
    await expect.poll(() => page.getAttribute('#timeline', 'data-council')).toBe('Hartlepool');
    const cells = await page.$$eval('#timeline tbody td[data-inspection]', (tds) =>
      tds.map((td) => ({ inspection: td.getAttribute('data-inspection'), theme: td.closest('tr')!.getAttribute('data-theme'), n: Number(td.getAttribute('data-n')), k: Number(td.getAttribute('data-k')), direction: td.getAttribute('data-direction') })),
    );
    const truth = counted();
    const hartlepool = [...truth.keys()].filter((k) => k.startsWith('hartlepool_'));
    expect(cells.filter((c) => c.n > 0).length).toBe(hartlepool.length);
    for (const c of cells) {
      const t = truth.get(`${c.inspection} ${c.theme}`);
      expect([c.n, c.k], `${c.inspection} ${c.theme}`).toEqual(t ? [t.n, t.k] : [0, 0]);
    }
    const supported = changes.filter((r) => r.council === 'Hartlepool' && (r.direction === 'improved' || r.direction === 'deteriorated'));
    expect(cells.filter((c) => c.direction).map((c) => `${c.inspection} ${c.theme} ${c.direction}`).sort()).toEqual(supported.map((r) => `${r.inspection} ${r.theme} ${r.direction}`).sort());
  });

  it('clicking a timeline cell lists the sentences behind it, as changes.csv names them', async () => {
    await page.selectOption('#timeline-council', 'Darlington');
    const row = changes.find((r) => r.council === 'Darlington' && Number(r.findings) >= 2)!;
    expect(row).toBeDefined();
    await page.click(`#timeline tr[data-theme="${row.theme}"] td[data-inspection="${row.inspection}"]`);
    await expect.poll(() => page.textContent('#drill-title')).toContain('Darlington');
    const listed = await page.$$eval('#drill-list li', (lis) => lis.map((li) => li.getAttribute('data-sentence-id')));
    expect(listed).toEqual(row.sentence_ids!.split(';'));
  });

  it('the window controls recompute every council x theme cell as --period and --framework do', async () => {
    const check = async (name: keyof typeof runs) => {
      const shown = await page.$$eval('#window-table tbody td[data-theme]', (tds) =>
        tds.map((td) => `${td.closest('tr')!.getAttribute('data-council')}|${td.getAttribute('data-theme')}|${td.getAttribute('data-n')}|${td.getAttribute('data-k')}`),
      );
      const expected = runs[name].themes.map((r) => `${r.council}|${r.theme}|${r.theme_evaluative}|${Number(r.improvements) + Number(r.mixed)}`);
      expect(shown.sort(), name).toEqual(expected.sort());
    };
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    await check('latest'); // the default, as the run
    await page.selectOption('#window-period', 'all');
    await page.click('#window-form button');
    await check('all');
    await page.selectOption('#window-period', 'range');
    await page.fill('#window-from', '2018');
    await page.fill('#window-to', '2025');
    await page.selectOption('#window-framework', 'ilacs');
    await page.click('#window-form button');
    await check('ilacs');
    const window = JSON.parse(readFileSync(join(runs.ilacs.dir, 'run_report.json'), 'utf8')).window as { inspections: number };
    const councils = new Set(runs.ilacs.themes.map((r) => r.council)).size;
    expect(await page.textContent('#window-summary')).toMatch(new RegExp(`^${window.inspections} inspections of ${councils} councils: inspections from 2018 to 2025, ilacs framework only`));
    expect(consoleErrors).toEqual([]);
  });

  it('says why there are no rising phrases when nine inspections cannot show one (the national test clicks real ones)', async () => {
    // Three recent inspections against six earlier ones: no phrase can pass the significance test.
    const rising = readCsv(join(out, 'latest', 'emerging_terms.csv')).filter((r) => r.scope === 'rising');
    expect(rising).toEqual([]);
    expect(await page.$$eval('#rising tbody tr', (trs) => trs.length)).toBe(0);
    expect(await page.textContent('#rising-note')).toMatch(/^No rising phrases: the corpus needs at least three dated inspections/);
  });
});

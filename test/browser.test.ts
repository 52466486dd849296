/**
 * report.html in a real browser: Debian's chromium driven by playwright-core, opened from a
 * file URL with no network. Clicking a heatmap cell lists the sentences behind it (checked
 * against sentences.csv), and a sentence carrying a <script> tag stays inert text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, withoutChromium } from './helpers.js';


const CLI = join(process.cwd(), 'dist/src/cli.js');
// (no underscores: txt input is read as light markdown, where __x__ is emphasis)
const HOSTILE = 'Supervision is not always recorded <script>window.pwned=1</script> in case files.';

/** A short Ofsted-style letter written for this test, with a sentence that tries to inject a script. */
const HOSTILE_DOC = `Ofsted letter: focused visit to Southampton children's services

Dear Director of Children's Services

This letter sets out what inspectors found on the focused visit to Southampton children's services.

Areas for priority action

${HOSTILE}

Managers do not consistently record the rationale for decisions on case files.

Findings

Social workers know their children well and visit them regularly.

Supervision is regular and reflective, and social workers value it.

Yours sincerely
`;

type Row = Record<string, string>;
const readCsv = (p: string) => Papa.parse<Row>(readFileSync(p, 'utf8'), { header: true, skipEmptyLines: true }).data;

describe.skipIf(withoutChromium())('report.html in chromium', () => {
  let out: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  let sentences: Row[];
  let themeName: Map<string, string>;

  beforeAll(async () => {
    const corpus = mkdtempSync(join(tmpdir(), 'it-browser-corpus-'));
    for (const f of readdirSync('corpus')) if (f.endsWith('.txt')) copyFileSync(join('corpus', f), join(corpus, f));
    const manifest = readFileSync('corpus/manifest.csv', 'utf8').trimEnd();
    writeFileSync(join(corpus, 'manifest.csv'), `${manifest}\n900_hostile.txt,Southampton,ofsted_letter,2023-03-01,"Test letter with a <script> sentence"\n`);
    writeFileSync(join(corpus, '900_hostile.txt'), HOSTILE_DOC);
    out = mkdtempSync(join(tmpdir(), 'it-browser-out-'));
    execFileSync(process.execPath, [CLI, 'run', corpus, '--out', out, '--quiet', '--focus', 'Southampton']);
    sentences = readCsv(join(out, 'sentences.csv'));
    const spec = JSON.parse(readFileSync(join(out, 'charts/heatmap.vl.json'), 'utf8'));
    // full display names, as in the charts' descriptions (aria-label) and the report
    themeName = new Map(spec.data.values.map((v: { theme: string; themeFull: string }) => [v.theme, v.themeFull]));

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart from disk without touching the network', async () => {
    for (const name of ['heatmap', 'balance', 'prevalence', 'profile']) {
      await expect(page.locator(`#chart-${name} svg`).first().isVisible()).resolves.toBe(true);
    }
    expect(requests.filter((u) => !/^(file|data|blob):/.test(u))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  /** Click the heatmap cell of the hostile sentence's council and first theme (each test that needs it does, so none relies on another's clicks). */
  async function openHostileCell() {
    const hostile = sentences.find((r) => r.text.includes('<script>'));
    expect(hostile, 'the hostile sentence is in sentences.csv').toBeDefined();
    expect(hostile!.label).not.toBe('neutral');
    const theme = hostile!.themes.split(';')[0]!;
    expect(theme).not.toBe('');
    const council = hostile!.council;
    const cell = page.locator(`#chart-heatmap path[aria-label^=${JSON.stringify(`${council}, ${themeName.get(theme)}:`)}]`);
    await expect(cell.count()).resolves.toBe(1);
    // Off-centre (the count label sits in the middle) and inside the focus outline.
    await cell.click({ position: { x: 8, y: 8 } });
    await expect.poll(() => page.textContent('#drill-title')).toContain(themeName.get(theme));
    await page.waitForSelector('#drill-list li');
    return { hostile: hostile!, theme, council };
  }

  it('clicking a heatmap cell lists the sentences behind it, as in sentences.csv', async () => {
    const { hostile, theme, council } = await openHostileCell();
    const expected = sentences.filter((r) => r.council === council && r.label !== 'neutral' && r.duplicate_of === '' && r.themes.split(';').includes(theme)).map((r) => r.sentence_id);
    expect(expected).toContain(hostile.sentence_id);
    const listed = await page.$$eval('#drill-list li', (lis) => lis.map((li) => li.getAttribute('data-sentence-id')));
    expect(listed).toEqual(expected);
    const title = await page.textContent('#drill-title');
    expect(title).toContain(council);
    expect(title).toContain(themeName.get(theme));
    // Each listed row shows its document, page and place in the text (to cite it) and label.
    const shown = await page.$$eval('#drill-list li', (lis) => lis.map((li) => ['.doc', '.page', '.place', '.label', '.text'].map((c) => li.querySelector(c)?.textContent)));
    const byId = new Map(sentences.map((r) => [r.sentence_id, r]));
    const labelName: Record<string, string> = { strength: 'Strength', improvement: 'Area for improvement', mixed: 'Mixed' };
    listed.forEach((id, i) => {
      const r = byId.get(id!)!;
      expect(shown[i]).toEqual([r.doc, `p. ${r.page}`, `¶ ${r.block}, characters ${r.char_start}–${r.char_end}`, labelName[r.label], r.text]);
    });
  });

  it('shows a <script> in a sentence as text and never runs it', async () => {
    await openHostileCell();
    const row = page.locator('#drill-list li', { hasText: 'window.pwned=1' });
    await expect(row.count()).resolves.toBe(1);
    const cellText = await row.locator('.text').textContent();
    expect(cellText).toBe(HOSTILE);
    const cellHtml = await row.locator('.text').innerHTML();
    expect(cellHtml).toContain('&lt;script&gt;');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    // Only the report's own scripts exist: data block, one sentence block per council, three libraries, the report code.
    const councils = new Set(sentences.filter((r) => r.label !== 'neutral' && r.themes !== '' && r.duplicate_of === '').map((r) => r.council)).size;
    expect(await page.$$eval('script', (s) => s.length)).toBe(5 + councils);
    expect(await page.$$eval('script:not([type="application/octet-stream"])', (s) => s.length)).toBe(4);
  });

  it('clicking a bar lists the sentences of that council, theme and label', async () => {
    const target = sentences.find((r) => r.council === 'Southampton' && r.label === 'improvement' && r.duplicate_of === '' && r.themes !== '');
    expect(target).toBeDefined();
    const theme = target!.themes.split(';')[0];
    const bar = page.locator(`#chart-balance path[aria-label=${JSON.stringify(`Southampton, ${themeName.get(theme)}: ${sentences.filter((r) => r.council === 'Southampton' && r.label === 'improvement' && r.duplicate_of === '' && r.themes.split(';').includes(theme)).length} area for improvement findings`)}]`);
    await expect(bar.count()).resolves.toBe(1);
    await bar.click({ position: { x: 2, y: 2 } });
    await expect.poll(() => page.textContent('#drill-title')).toContain('Area for improvement');
    const labels = await page.$$eval('#drill-list li .label', (els) => els.map((e) => e.textContent));
    expect(labels.length).toBeGreaterThan(0);
    expect(new Set(labels)).toEqual(new Set(['Area for improvement']));
  });
});

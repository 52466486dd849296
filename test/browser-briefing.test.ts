/**
 * briefing-<council>.html printed to PDF by Debian's Chromium (playwright-core): A4 pages, no
 * console error, no request off the file, and Debian's pdftotext of the PDF finds the council's
 * name, its top theme (from council_themes.csv of the same run) and its quoted sentences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, withoutChromium } from './helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli.js');
const LA_LOOKUP = resolve('../shared/reference/la_lookup.csv');
type Row = Record<string, string>;
const readCsv = (p: string) => Papa.parse<Row>(readFileSync(p, 'utf8'), { header: true, skipEmptyLines: true }).data;
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe.skipIf(withoutChromium())('the council briefing printed from chromium', () => {
  let out: string;
  let browser: Browser;
  let pdfText: string;
  let pages: number;
  let pageTexts: string[];
  let top: Row;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'it-briefing-'));
    execFileSync(process.execPath, [CLI, 'run', 'corpus', '--out', out, '--no-cache', '--quiet', '--focus', 'Hampshire', '--peers', LA_LOOKUP]);
    // The top theme: most evaluative findings, ties in codebook order.
    const codebook = JSON.parse(readFileSync('codebook/codebook.json', 'utf8')) as { themes: { id: string }[] };
    const order = new Map(codebook.themes.map((t, i) => [t.id, i]));
    const mine = readCsv(join(out, 'council_themes.csv')).filter((r) => r.council === 'Hampshire' && Number(r.theme_evaluative) > 0);
    top = [...mine].sort((a, b) => Number(b.theme_evaluative) - Number(a.theme_evaluative) || order.get(a.theme!)! - order.get(b.theme!)!)[0]!;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(out, 'briefing-hampshire.html')).href, { waitUntil: 'load' });
    const pdf = join(out, 'briefing-hampshire.pdf');
    writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    pageTexts = pdfText.split('\f').map(flat);
    pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))!;
    // A4 is 595 x 842 points.
    expect([Math.round(Number(size[1])), Math.round(Number(size[2]))]).toEqual([595, 842]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("prints the council's name and its top theme, with no console error and nothing fetched", () => {
    const text = flat(pdfText);
    expect(text).toContain('Hampshire');
    expect(text).toContain(`Top theme: ${top.theme_name}`);
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });

  it('quotes sentences of the council as they are in sentences.csv, referenced by document and paragraph', () => {
    const text = flat(pdfText);
    const sentences = readCsv(join(out, 'sentences.csv')).filter((r) => r.council === 'Hampshire' && r.label !== 'neutral' && r.text.length > 40);
    // pdftotext may hyphenate or break lines inside a quote: compare the quotes' first words.
    const quoted = sentences.filter((r) => text.includes(flat(r.text).split(' ').slice(0, 6).join(' ')));
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    for (const r of quoted.slice(0, 3)) expect(text).toMatch(new RegExp(`para(graph|\\.) ${r.block}\\b`));
  });

  it('fits on at most two A4 pages, with the chart drawn whole on one of them', () => {
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThanOrEqual(2);
    expect(pageTexts.filter(Boolean)).toHaveLength(pages);
    // The chart's legend, and on the same page before it: its first theme label, its axis ticks and title.
    const legend = pageTexts.filter((t) => t.includes('Median of statistical neighbours'));
    expect(legend).toHaveLength(1);
    const page = legend[0]!;
    const at = (s: string) => page.indexOf(s);
    const title = at('Improvement share (areas for improvement');
    expect(at(top.theme_name!)).toBeGreaterThanOrEqual(0);
    expect(at(top.theme_name!)).toBeLessThan(at('0% 10%'));
    expect(at('0% 10%')).toBeLessThan(title);
    expect(title).toBeLessThan(at('This council'));
  });
});

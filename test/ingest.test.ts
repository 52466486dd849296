/**
 * Ingest: encodings, markup cleaning, reflow, structure and per-document failures, on the
 * shared seeds and on text written for these tests in the style of the reports.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingest } from '../src/ingest/index.js';
import { detectEncoding } from '../src/ingest/encoding.js';
import { joinWrapped } from '../src/ingest/dehyphen.js';
import type { IngestedDocument, SourceFormat } from '../src/types.js';
import { DocumentError } from '../src/util/errors.js';
import { expectImprovementBullets } from './helpers.js';

const REPO = resolve(import.meta.dirname, '..');
const SHARED = resolve(REPO, '../shared');
const SEEDS = join(SHARED, 'seeds');
const SAMPLE = join(SHARED, 'corpus-ofsted-sample');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ingest-test-'));
});

async function ingestBytes(name: string, bytes: Buffer | string, format: SourceFormat, opts = {}): Promise<IngestedDocument> {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return ingest({ file: name, path, format }, opts);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof DocumentError ? e.code : `other: ${(e as Error).message}`;
  }
}

const LETTER = [
  'Children in care benefit from stable homes and social workers who know them well.',
  'Care leavers told inspectors that their personal advisers are ‘always there’ for them.',
  'However, too many pathway plans are not updated when circumstances change.',
].join(' ');

describe('encoding detection', () => {
  it('reads UTF-8, UTF-16 (LE and BE, with BOM) and Windows-1252 to the same text', async () => {
    const utf8 = await ingestBytes('u8.txt', Buffer.from(LETTER, 'utf8'), 'txt');
    const le = await ingestBytes('u16le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LETTER, 'utf16le')]), 'txt');
    const beBody = Buffer.from(LETTER, 'utf16le').swap16();
    const be = await ingestBytes('u16be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), beBody]), 'txt');
    const cp = Buffer.from(
      [...LETTER].map((c) => ({ '‘': 0x91, '’': 0x92 })[c] ?? c.charCodeAt(0)),
    );
    const w1252 = await ingestBytes('cp1252.txt', cp, 'txt');
    expect([utf8.encoding, le.encoding, be.encoding, w1252.encoding]).toEqual(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']);
    for (const d of [le, be, w1252]) expect(d.blocks.map((b) => b.text)).toEqual(utf8.blocks.map((b) => b.text));
    expect(w1252.blocks[0]!.text).toContain('‘always there’');
  });

  it('does not mistake a UTF-8 BOM or plain ASCII for another encoding', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(Buffer.from('Leaders know their services well.')).encoding).toBe('utf-8');
  });
});

describe('cleaning text formats', () => {
  it('strips HTML tags and Markdown table syntax from a council report export (seed 004)', async () => {
    const doc = await ingest({ file: '004.txt', path: join(SEEDS, '004_9070bd7dfb5141b5.txt'), format: 'txt' });
    for (const b of doc.blocks) {
      expect(b.text).not.toMatch(/<\/?[a-z]+[^>]*>/i);
      expect(b.text).not.toMatch(/\|\s*\||^\s*\||-{3,}/);
    }
    expect(doc.dropped.html_tag).toBeGreaterThan(10);
    expect(doc.dropped.table_syntax).toBeGreaterThan(5);
    // Contact details block removed, but the report's content kept.
    expect(doc.blocks.some((b) => /@southampton\.gov\.uk|023 8083/.test(b.text))).toBe(false);
    expect(doc.dropped.contact).toBeGreaterThan(0);
    // Inline bullets inside table cells become list items.
    const items = doc.blocks.filter((b) => b.kind === 'list_item' && b.marker === '•').map((b) => b.text);
    expect(items).toContain('Thresholds were appropriate for the majority of children.');
    expect(items).toContain('protection of disabled children.');
    // The quoted inspection-letter passage is marked as a quote.
    const quote = doc.blocks.find((b) => b.text.startsWith('‘Southampton City Council has made progress'));
    expect(quote?.quoted).toBe(true);
  });

  it('removes web-page furniture at the end of a news article (seed 001) and keeps its bullets', async () => {
    const doc = await ingest({ file: '001.txt', path: join(SEEDS, '001_458796d1447c5914.txt'), format: 'txt' });
    const all = doc.blocks.map((b) => b.text).join('\n');
    expect(all).not.toMatch(/linkedin|facebook|Mackman|Contact Us|Knowledge Gateway/);
    expect(doc.dropped.web_furniture).toBeGreaterThan(0);
    expect(doc.blocks[doc.blocks.length - 1]!.text).toMatch(/^The Corporate Parenting Board should improve|more effectively\.$/);
    const bullets = doc.blocks.filter((b) => b.kind === 'list_item');
    expect(bullets.length).toBe(22);
    expect(bullets.every((b) => b.marker === '-')).toBe(true);
    // The first bullet exactly as the seed has it (its first "- " line), marker dropped.
    const firstBullet = /^- (.+)$/m.exec(readFileSync(join(SEEDS, '001_458796d1447c5914.txt'), 'utf8'))![1]!.trim();
    expect(bullets[0]!.text).toBe(firstBullet);
  });

  it('drops the "Pre-publication" stamp and the Ofsted letterhead, keeps the letter (seed 002)', async () => {
    const doc = await ingest({ file: '002.md', path: join(SEEDS, '002_c69c48fbe66e34e8.txt'), format: 'md' });
    const texts = doc.blocks.map((b) => b.text);
    expect(texts).not.toContain('Pre-publication');
    expect(doc.dropped.stamp).toBe(1);
    expect(texts.join(' ')).not.toMatch(/Piccadilly Gate|0300 123 1231|enquiries@ofsted/);
    expect(doc.blocks.find((b) => b.kind === 'heading' && b.text === 'Overview')).toBeDefined();
    // A paragraph broken by a blank line mid-sentence is mended.
    expect(texts.some((t) => t.includes('some inevitable disruption for some children and staff'))).toBe(true);
    expect(texts.some((t) => t.includes('Regular auditing is undertaken alongside social workers'))).toBe(true);
  });

  it('converts Markdown and HTML structure: headings, bullets, numbered items, block quotes, tables', async () => {
    const md = [
      '# Report to the Children and Young People Select Committee',
      '',
      '## Other Key Issues',
      '',
      '18.1. Inspectors found that **management oversight** is [well established](https://example.org/report).',
      '18.2. The council accepts the findings.',
      '',
      '> The quality of supervision is not consistent. Some staff do not receive regular supervision.',
      '',
      '| Judgement | Grade |',
      '|---|---|',
      '| Overall effectiveness | Good |',
      '',
      '- Caseloads are manageable',
      '* Workers feel supported',
      '(i) Agree the improvement plan',
    ].join('\n');
    const doc = await ingestBytes('report.md', md, 'md');
    const k = doc.blocks.map((b) => [b.kind, b.marker ?? '', b.quoted ? 'q' : '', b.text]);
    expect(k).toEqual([
      ['heading', '', '', 'Report to the Children and Young People Select Committee'],
      ['heading', '', '', 'Other Key Issues'],
      ['list_item', '18.1.', '', 'Inspectors found that management oversight is well established.'],
      ['list_item', '18.2.', '', 'The council accepts the findings.'],
      ['paragraph', '', 'q', 'The quality of supervision is not consistent. Some staff do not receive regular supervision.'],
      ['table_row', '', '', 'Judgement | Grade'],
      ['table_row', '', '', 'Overall effectiveness | Good'],
      ['list_item', '-', '', 'Caseloads are manageable'],
      ['list_item', '*', '', 'Workers feel supported'],
      ['list_item', '(i)', '', 'Agree the improvement plan'],
    ]);
    expect(doc.blocks[1]!.level).toBe(2);

    const html =
      '<html><head><title>x</title><style>p{color:red}</style></head><body><nav>Home | News | Contact us</nav>' +
      '<h2>What needs to improve</h2><ul><li>The timeliness of initial health assessments.</li><li>Return home interviews</li></ul>' +
      '<p>Leaders&rsquo; oversight is strong &amp; effective.</p><blockquote><p>Children are safe.</p></blockquote>' +
      '<footer>&copy; 2024 Council</footer></body></html>';
    const h = await ingestBytes('page.html', html, 'html');
    expect(h.blocks.map((b) => [b.kind, b.text, !!b.quoted])).toEqual([
      ['heading', 'What needs to improve', false],
      ['list_item', 'The timeliness of initial health assessments.', false],
      ['list_item', 'Return home interviews', false],
      ['paragraph', 'Leaders’ oversight is strong & effective.', false],
      ['paragraph', 'Children are safe.', true],
    ]);
    expect(h.dropped.web_furniture).toBe(2);
  });
});

describe('reflow', () => {
  it('de-hyphenates a line-end hyphen only when the joined word is a word', () => {
    expect(joinWrapped('the quality of the informa-', 'tion provided')).toBe('the quality of the information provided');
    expect(joinWrapped('a strong culture of co-', 'location')).toBe('a strong culture of co-location');
    expect(joinWrapped('children subject to pre-', 'proceedings')).toBe('children subject to pre-proceedings');
    expect(joinWrapped('timely information-', 'sharing between agencies')).toBe('timely information-sharing between agencies');
    expect(joinWrapped('Leaders are', 'ambitious')).toBe('Leaders are ambitious');
    // The document's own usage decides when it has one.
    expect(joinWrapped('significant re-', 'investment', new Set(['reinvestment']))).toBe('significant reinvestment');
  });

  it('joins a sentence broken across a PDF page break and drops the running footer between (Hartlepool eval source)', async () => {
    const path = join(SHARED, 'eval/sources/hartlepool_2024-05-16.pdf');
    const doc = await ingest({ file: 'h.pdf', path, format: 'pdf' });
    const texts = doc.blocks.map((b) => b.text);
    const joined = texts.find((t) => t.includes('a clear and well-established system') || t.includes('well-established systems in place'));
    expect(joined).toBeDefined();
    expect(joined).not.toMatch(/Inspection of Hartlepool local authority/);
    expect(doc.dropped.running_header).toBeGreaterThanOrEqual(2 * (doc.pageCount - 2));
    expect(doc.dropped.page_number).toBeGreaterThanOrEqual(doc.pageCount - 2);
    expect(doc.dropped.back_matter).toBeGreaterThan(10);
    expect(texts.join(' ')).not.toMatch(/Crown copyright|Interested in our work|Piccadilly Gate/);
    // Headings and judgement table.
    expect(doc.blocks.filter((b) => b.kind === 'heading').map((b) => b.text)).toContain('What needs to improve?');
    expect(doc.blocks.filter((b) => b.kind === 'table_row').map((b) => b.text)).toContain('Overall effectiveness | Outstanding');
    const bullets = doc.blocks.filter((b) => b.kind === 'list_item' && b.marker === '◼');
    expectImprovementBullets(bullets.map((b) => b.text), path);
  });
});

describe('text exported from a PDF (pdftotext -layout)', () => {
  it('reads pages, drops running footers and page numbers, and finds the same structure and grades as the PDF', async () => {
    const pdf = join(SAMPLE, 'southampton_2023-07-28.pdf');
    const txt = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    const fromText = await ingestBytes('southampton.txt', txt, 'txt');
    const fromPdf = await ingest({ file: 'southampton.pdf', path: pdf, format: 'pdf' });
    expect(fromText.pageCount).toBe(fromPdf.pageCount);
    expect(fromText.dropped.running_header).toBeGreaterThan(10);
    expect(fromText.blocks.some((b) => /^Inspection of Southampton local authority children’s services$/.test(b.text) && b.page > 1)).toBe(false);
    expect(fromText.meta.grades).toEqual(fromPdf.meta.grades);
    const headings = (d: IngestedDocument) => d.blocks.filter((b) => b.kind === 'heading' && /^(What needs|The experiences|The impact)/.test(b.text)).map((b) => b.text);
    expect(headings(fromText)).toEqual(headings(fromPdf));
    const items = (d: IngestedDocument) => d.blocks.filter((b) => b.kind === 'list_item').map((b) => b.text);
    expect(items(fromText)).toEqual(items(fromPdf));
  });

  it('drops the page number before a page break, joins the paragraph across it, and mends wrapped judgement-table cells (Halton 2020)', async () => {
    const pdf = join(SHARED, 'corpus-ofsted-national', 'halton_2020-04-15.pdf');
    const txt = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    const fromText = await ingestBytes('halton.txt', txt, 'txt');
    const fromPdf = await ingest({ file: 'halton.pdf', path: pdf, format: 'pdf' });
    // Page numbers are not list markers of the text that runs on over the break.
    expect(fromText.blocks.filter((b) => b.marker && /^\d+$/.test(b.marker) && /^[a-z]/.test(b.text))).toEqual([]);
    expect(fromText.dropped.page_number).toBeGreaterThanOrEqual(fromText.pageCount - 2);
    const runOn = (d: IngestedDocument) => d.blocks.find((b) => /decisive action is taken\. The management oversight/.test(b.text))?.text;
    expect(runOn(fromText)).toMatch(/timescale that is right for children\./);
    expect(runOn(fromText)).toBe(runOn(fromPdf));
    const rows = (d: IngestedDocument) => d.blocks.filter((b) => b.kind === 'table_row' && /^The (?:impact|experiences)/.test(b.text)).map((b) => b.text);
    expect(rows(fromText)).toHaveLength(3);
    expect(rows(fromText)).toEqual(rows(fromPdf));
    const headings = (d: IngestedDocument) => d.blocks.filter((b) => b.kind === 'heading' && /^(What needs|The experiences|The impact)/.test(b.text)).map((b) => b.text);
    expect(headings(fromText)).toEqual(headings(fromPdf));
  });

  it('finds the judgement headings of a 2019 report that carry their grade in words, with no colon (Hampshire 2019)', async () => {
    const pdf = join(SAMPLE, 'hampshire_2019-06-11.pdf');
    const txt = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    const fromText = await ingestBytes('hampshire.txt', txt, 'txt');
    const fromPdf = await ingest({ file: 'hampshire.pdf', path: pdf, format: 'pdf' });
    const headings = (d: IngestedDocument) => d.blocks.filter((b) => b.kind === 'heading' && /^(What needs|The experiences|The impact) .* is outstanding$|^What needs/.test(b.text)).map((b) => b.text);
    expect(headings(fromPdf)).toHaveLength(4);
    expect(headings(fromText)).toEqual(headings(fromPdf));
  });
});

describe('per-document failures', () => {
  const realPdf = () => readFileSync(join(SAMPLE, 'york_2022-05-04.pdf'));

  it('throws the right DocumentError codes', async () => {
    expect(await codeOf(ingestBytes('zero.txt', Buffer.alloc(0), 'txt'))).toBe('empty');
    expect(await codeOf(ingestBytes('blank.md', '\n\n   \n', 'md'))).toBe('empty');
    const png = Buffer.alloc(2048, 7);
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1').copy(png);
    expect(await codeOf(ingestBytes('image.txt', png, 'txt'))).toBe('binary');
    expect(await codeOf(ingestBytes('copy.txt', realPdf(), 'txt'))).toBe('wrong_format');
    expect(await codeOf(ingestBytes('page.pdf', '<html><body>404 Not Found</body></html>', 'pdf'))).toBe('wrong_format');
    expect(await codeOf(ingestBytes('garbage.pdf', 'GIF89a not a document at all', 'pdf'))).toBe('corrupt');
    expect(await codeOf(ingestBytes('half.pdf', realPdf().subarray(0, 20_000), 'pdf'))).toBe('corrupt');
    expect(await codeOf(ingestBytes('big.txt', LETTER.repeat(100), 'txt', { maxFileBytes: 1000 }))).toBe('too_large');
    expect(await codeOf(ingestBytes('long.pdf', realPdf(), 'pdf', { maxPages: 3 }))).toBe('too_many_pages');
    expect(await codeOf(ingestBytes('ok.pdf', realPdf(), 'pdf', { maxPages: 9 }))).toBe('ok');
  });

  it('reports an image-only PDF (no text layer) as no_text', async () => {
    // A one-page PDF whose page has no text operators.
    const objs = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
      '<< /Length 18 >>\nstream\n0 0 m 100 100 l S\nendstream',
    ];
    let pdf = '%PDF-1.4\n';
    const offs: number[] = [];
    objs.forEach((o, i) => {
      offs.push(pdf.length);
      pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = pdf.length;
    pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    pdf += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    expect(await codeOf(ingestBytes('scan.pdf', pdf, 'pdf'))).toBe('no_text');
  });

  it('ingests a large plain-text export in bounded blocks', async () => {
    const para = `${LETTER}\n`;
    const text = para.repeat(Math.ceil((2 << 20) / para.length)); // ~2 MB, no blank lines
    const doc = await ingestBytes('export.txt', text, 'txt');
    const longest = Math.max(...doc.blocks.map((b) => b.text.length));
    expect(longest).toBeLessThan(25_000);
    expect(doc.blocks.reduce((n, b) => n + b.text.length, 0)).toBeGreaterThan(text.length * 0.95);
  });
});

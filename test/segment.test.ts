/**
 * Segmentation: sentences with section paths, list items, quotes and headings; the agreement
 * with the annotated units of ../shared/eval.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { join, resolve } from 'node:path';
import { ingest } from '../src/ingest/index.js';
import { documentText, segment, splitSentences } from '../src/segment/index.js';
import { segmentationAgreement } from '../src/eval/segment-agreement.js';
import { formatAgreement, measureEvalAgreement, type EvalAgreement } from '../src/eval/segment-agreement-data.js';
import type { IngestedDocument, SegmentedDocument, TextBlock } from '../src/types.js';
import { expectImprovementBullets } from './helpers.js';

const SHARED = resolve(import.meta.dirname, '../../shared');

function docOf(blocks: TextBlock[]): IngestedDocument {
  return {
    id: 'x.txt',
    file: 'x.txt',
    format: 'txt',
    sha256: '',
    encoding: 'utf-8',
    pageCount: 1,
    blocks,
    meta: { council: '', onsCode: '', region: '', date: '', published: '', inspectionStart: '', inspectionEnd: '', documentType: 'other', framework: '', grades: { areas: {} }, provenance: {}, extra: {} },
    dropped: {},
    warnings: [],
  };
}

describe('sentence splitting', () => {
  it('keeps abbreviations and references of the domain inside their sentence', () => {
    expect(
      splitSentences(
        'The plan (see para 4.2) is reviewed monthly, e.g. at panel. Dr Patel and Mr. Jones chair it, i.e. jointly. Care leavers aged 18 to 25 are supported.',
      ),
    ).toEqual([
      'The plan (see para 4.2) is reviewed monthly, e.g. at panel.',
      'Dr Patel and Mr. Jones chair it, i.e. jointly.',
      'Care leavers aged 18 to 25 are supported.',
    ]);
  });

  it('ends sentences on words that look like abbreviations elsewhere and after closing quotes', () => {
    expect(splitSentences('Plans are weaker for children with SEN. Leaders know this.')).toEqual([
      'Plans are weaker for children with SEN.',
      'Leaders know this.',
    ]);
    expect(splitSentences('One child said, ‘My social worker listens to me.’ This is typical of what inspectors heard.')).toEqual([
      'One child said, ‘My social worker listens to me.’',
      'This is typical of what inspectors heard.',
    ]);
    expect(splitSentences('Decimal figures such as 3.5 per cent and section 18.1 stay whole. So does 10 a.m. on Monday.')).toEqual([
      'Decimal figures such as 3.5 per cent and section 18.1 stay whole.',
      'So does 10 a.m. on Monday.',
    ]);
  });
});

describe('segment', () => {
  const blocks: TextBlock[] = [
    { kind: 'heading', text: 'Report to Cabinet', level: 1, page: 1 },
    { kind: 'heading', text: 'Other Key Issues', level: 2, page: 1 },
    { kind: 'paragraph', text: 'Inspectors identified two areas. Both are in hand.', page: 1, marker: '19.' },
    { kind: 'list_item', text: 'Workload pressures on independent reviewing officers', page: 1, marker: '19.1' },
    { kind: 'list_item', text: 'Health assessments are late. Carers lack information.', page: 2, marker: '(i)' },
    { kind: 'paragraph', text: '‘Children are safe. Their plans are clear.’ The council welcomes this.', page: 2 },
    { kind: 'heading', text: 'Conclusions', level: 2, page: 2 },
    { kind: 'table_row', text: 'Overall effectiveness | Good', page: 2 },
  ];
  let seg: SegmentedDocument;
  beforeAll(() => {
    seg = segment(docOf(blocks));
  });

  it('gives every sentence its section path, kind flags, page, tokens and stems', () => {
    const rows = seg.sentences.map((s) => [s.text, s.sectionPath.join(' > '), s.isHeading, s.isListItem, s.isQuote, s.page]);
    expect(rows).toEqual([
      ['Report to Cabinet', 'Report to Cabinet', true, false, false, 1],
      ['Other Key Issues', 'Report to Cabinet > Other Key Issues', true, false, false, 1],
      ['Inspectors identified two areas.', 'Report to Cabinet > Other Key Issues', false, false, false, 1],
      ['Both are in hand.', 'Report to Cabinet > Other Key Issues', false, false, false, 1],
      ['Workload pressures on independent reviewing officers', 'Report to Cabinet > Other Key Issues', false, true, false, 1],
      ['Health assessments are late.', 'Report to Cabinet > Other Key Issues', false, true, false, 2],
      ['Carers lack information.', 'Report to Cabinet > Other Key Issues', false, true, false, 2],
      ['‘Children are safe.', 'Report to Cabinet > Other Key Issues', false, false, true, 2],
      ['Their plans are clear.’', 'Report to Cabinet > Other Key Issues', false, false, true, 2],
      ['The council welcomes this.', 'Report to Cabinet > Other Key Issues', false, false, false, 2],
      ['Conclusions', 'Report to Cabinet > Conclusions', true, false, false, 2],
      ['Overall effectiveness | Good', 'Report to Cabinet > Conclusions', false, false, false, 2],
    ]);
    expect(seg.sentences.map((s) => s.id)).toEqual(seg.sentences.map((_, i) => `x.txt#${i}`));
    const s = seg.sentences[3]!;
    expect(s.tokens).toEqual(['both', 'are', 'in', 'hand']);
    expect(s.stems).toHaveLength(s.tokens.length);
    expect(seg.sections.map((x) => [x.heading, x.level, x.path.length])).toEqual([
      ['Report to Cabinet', 1, 1],
      ['Other Key Issues', 2, 2],
      ['Conclusions', 2, 2],
    ]);
    expect(seg).not.toHaveProperty('blocks');
  });

  it('places every sentence in the extracted text by block and code point, so it can be cited and cut out exactly', () => {
    const text = documentText(seg.sentences);
    expect(seg.sentences.map((s) => s.block)).toEqual([1, 2, 3, 3, 4, 5, 5, 6, 6, 6, 7, 8]);
    expect(text.split('\n\n')).toEqual(blocks.map((b) => seg.sentences.filter((s) => s.block === blocks.indexOf(b) + 1).map((s) => s.text).join(' ')));
    for (const s of seg.sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
    // Characters outside the Basic Multilingual Plane count once, as QDA tools and Python count them.
    const astral = segment(docOf([
      { kind: 'heading', text: 'Children’s voice 🙂', level: 1, page: 1 },
      { kind: 'paragraph', text: 'Young people said 𝒕𝒉𝒆𝒚 feel heard. Plans are reviewed.', page: 1 },
    ]));
    const points = [...documentText(astral.sentences)];
    expect(astral.sentences.map((s) => [s.start, s.end])).toEqual([[0, 18], [20, 54], [55, 74]]);
    for (const s of astral.sentences) expect(points.slice(s.start, s.end).join('')).toBe(s.text);
  });

  it('puts the bullets of a real report under its "What needs to improve?" heading', async () => {
    const path = join(SHARED, 'eval/sources/hartlepool_2024-05-16.pdf');
    const d = segment(await ingest({ file: 'hartlepool.pdf', path, format: 'pdf' }));
    const items = d.sentences.filter((s) => s.isListItem && s.sectionPath.at(-1) === 'What needs to improve?');
    expectImprovementBullets(items.map((s) => s.text), path);
    const areaHeadings = d.sentences.filter((s) => s.isHeading && /^The experiences and progress of|^The impact of leaders/.test(s.text));
    expect(areaHeadings.map((s) => s.text)).toEqual([
      'The experiences and progress of children who need help and protection: outstanding',
      'The experiences and progress of children in care: outstanding',
      'The experiences and progress of care leavers: good',
      'The impact of leaders on social work practice with children and families: outstanding',
    ]);
    // Body sentences sit under their judgement area; no sentence carries page furniture.
    const firstBody = d.sentences.find((s) => s.text.startsWith('There is a very strong and effective focus'));
    expect(firstBody?.sectionPath.at(-1)).toBe('The experiences and progress of children who need help and protection: outstanding');
    expect(d.sentences.some((s) => /^\d+$/.test(s.text) || s.text.includes('March to 22 March 2024 2'))).toBe(false);
  });

  it('marks the quoted inspection letter inside council reports (seeds 000 and 004)', async () => {
    const s000 = segment(await ingest({ file: '000.txt', path: join(SHARED, 'seeds/000_fb755f8668e80b0f.txt'), format: 'txt' }));
    const key = s000.sentences.filter((s) => s.sectionPath.at(-1) === 'Other Key Issues' && s.isListItem);
    expect(key.length).toBeGreaterThanOrEqual(3);
    expect(key.every((s) => s.isQuote)).toBe(true);
    const s004 = segment(await ingest({ file: '004.txt', path: join(SHARED, 'seeds/004_9070bd7dfb5141b5.txt'), format: 'txt' }));
    const q = s004.sentences.filter((s) => s.isQuote).map((s) => s.text);
    expect(q[0]).toMatch(/^‘Southampton City Council has made progress/);
    expect(q.some((t) => /^On this visit, inspectors did not identify .+ at immediate risk of harm\./.test(t))).toBe(true);
    expect(s004.sentences.find((s) => s.text === 'Thresholds were appropriate for the majority of children.')?.isListItem).toBe(true);
  });
});

describe('segmentation agreement', () => {
  it('classifies matches and misses (made-up units)', () => {
    const sentences = new Map([
      ['d', [{ text: 'Leaders are ambitious for children.' }, { text: 'Plans are clear.' }, { text: 'Caseloads are manageable.' }, { text: 'Judgement | Grade' }]],
    ]);
    const r = segmentationAgreement(
      [
        { doc: 'd', i: 0, text: 'Leaders are ambitious for children.' },
        { doc: 'd', i: 1, text: 'Plans are clear. Caseloads are manageable.' },
        { doc: 'd', i: 2, text: 'Grade Judgement' },
        { doc: 'd', i: 3, text: 'Page 4 of 12' },
        { doc: 'd', i: 4, text: 'Leaders are ambitious' },
        { doc: 'e', i: 0, text: 'Anything.' },
      ],
      sentences,
    );
    expect(r.byKind).toMatchObject({ exact: 1, split: 1, reordered: 1, dropped: 1, within_one: 0, merged: 1, no_document: 1 });
    expect(r.matched).toBe(2);
  });

  let result: EvalAgreement;
  beforeAll(async () => {
    result = await measureEvalAgreement(join(SHARED, 'eval'));
    console.log(formatAgreement(result));
  });

  // Floors = what segmentation measures on the grown eval set (2026-12-01: 94.97% mapped, 94.21%
  // token-identical); the issue on learned labels (plain text as good as PDF) raises them.
  it('maps at least 94% of the annotated units to exactly one pipeline sentence', () => {
    expect(result.missingSources).toEqual([]);
    expect(result.units).toBeGreaterThan(500);
    expect(result.rate).toBeGreaterThanOrEqual(0.94);
    // Token-identical (no page-break fragments counted): nearly as high.
    expect(result.identicalRate).toBeGreaterThanOrEqual(0.94);
    // Merged units (two annotated units in one pipeline sentence): 9 on the grown set, all in the
    // seed council papers (quotes run together); the floor is what the current code measures.
    expect(result.byKind.merged).toBeLessThanOrEqual(9);
  });
});

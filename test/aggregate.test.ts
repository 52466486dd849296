/**
 * Fair counting across councils (de-duplication per council and inspection, rates) and
 * benchmarking (ranks, medians, statistical neighbours, focus). Documents are built here from
 * sentences written for these tests in the style of Ofsted letters and council reports.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { aggregate, assignInspections, findDuplicates, normaliseFinding, parseFramework, parsePeriod, selectInspections, windowKey, type ComparisonWindow, type InspectionRecord } from '../src/aggregate/index.js';
import { benchmark, median, resolveCouncil } from '../src/aggregate/benchmark.js';
import { compareWith, wilson } from '../src/aggregate/interval.js';
import { differenceInterval } from '../src/aggregate/over-time.js';
import { loadPeers, parsePeers } from '../src/aggregate/peers.js';
import { normaliseCouncilName } from '../src/vocab/councils.js';
import { loadCodebook } from '../src/theme/codebook.js';
import type { AnalysedDocument, DocumentMeta, LabelCode } from '../src/types.js';
import { UserError } from '../src/util/errors.js';
import { analysedDoc, themed } from './helpers.js';

const codebook = loadCodebook(resolve('codebook/codebook.json'));
const LA_LOOKUP = resolve('../shared/reference/la_lookup.csv');

type S = [text: string, code: LabelCode, themes: string[]];

function doc(id: string, meta: Partial<DocumentMeta>, sentences: S[]): AnalysedDocument {
  const evidence = (code: LabelCode) => [{ kind: 'cue' as const, value: 'written for the test', points: code, weight: 1 }];
  return analysedDoc(id, meta, sentences.map(([text, code, themes], index) => themed(id, index, { text, code, themes, confidence: 0.9, evidence: evidence(code) })));
}

const F1 = 'Workload pressures are hindering independent reviewing officers’ oversight of care plans.';
const F2 = 'Social workers know their children well and visit them regularly.';
const F3 = 'Management oversight of strategy discussions is not consistently recorded.';

// Ofsted letter (Jan 2023 visit) and the council's report to cabinet quoting it three months later.
const letter = doc('a_letter.txt', { council: 'Hampshire', documentType: 'ofsted_letter', date: '2023-02-10' }, [
  [F1, 'I', ['iro_reviews']],
  [F2, 'S', ['voice_of_child']],
  [F3, 'I', ['management_oversight', 'strategy_discussions']],
  ['Leaders have a good understanding of the quality of practice.', 'S', ['leadership_governance']],
]);
const report = doc('b_report.txt', { council: 'Hampshire', documentType: 'council_report', date: '2023-04-18' }, [
  ['The letter sent after the visit is attached at Appendix A.', 'N', []],
  [`19.1 ‘${F1.replace('officers’', "officers'")}’`, 'I', ['iro_reviews']],
  [`*'${F2.slice(0, -1)}'*`, 'S', ['voice_of_child']],
  ['Cabinet is asked to note the positive outcome of the visit.', 'S', []],
]);
// The same wording five years earlier is a different inspection: counted again.
const oldLetter = doc('c_old_letter.txt', { council: 'Hampshire', documentType: 'focused_visit', date: '2018-11-05' }, [[F3, 'I', ['management_oversight']]]);
// Another council with the same sentence: counted for that council too.
const other = doc('d_other.txt', { council: 'Southampton', documentType: 'ofsted_letter', date: '2023-02-20' }, [
  [F1, 'I', ['iro_reviews']],
  ['Care leavers are well supported by personal advisers who know them well.', 'S', ['care_leavers']],
]);
// Undated news piece repeating the letter: its own inspection (cannot be placed in time).
const news = doc('e_news.txt', { council: 'Hampshire', documentType: 'news', date: '' }, [[F2, 'S', ['voice_of_child']]]);

describe('inspection identity', () => {
  it('puts a council report with the Ofsted document it follows, and keeps other inspections apart', () => {
    const m = assignInspections([letter, report, oldLetter, other, news]);
    expect(m.get('b_report.txt')).toBe('a_letter.txt');
    expect(m.get('a_letter.txt')).toBe('a_letter.txt');
    expect(m.get('c_old_letter.txt')).toBe('c_old_letter.txt');
    expect(m.get('d_other.txt')).toBe('d_other.txt');
    expect(m.get('e_news.txt')).toBe('e_news.txt');
  });

  it('joins Ofsted documents of one council published weeks apart, and honours a manifest inspection column', () => {
    const full = doc('f_full.txt', { council: 'York', documentType: 'full_inspection', date: '2022-03-01' }, []);
    const letter2 = doc('g_letter.txt', { council: 'York', documentType: 'ofsted_letter', date: '2022-03-20' }, []);
    const late = doc('h_report.txt', { council: 'York', documentType: 'council_report', date: '2024-06-01' }, []);
    const tagged = doc('i_report.txt', { council: 'York', documentType: 'council_report', date: '2024-06-01', extra: { inspection: 'ILACS 2022' } }, []);
    const m = assignInspections([full, letter2, late, tagged]);
    expect(m.get('g_letter.txt')).toBe('f_full.txt');
    expect(m.get('h_report.txt')).toBe('h_report.txt'); // over 18 months after: not linked
    expect(m.get('i_report.txt')).toBe('manifest:ILACS 2022');
  });

  it('inspection records: the Ofsted report describes its inspection, the council paper quoting it joins it, a repeated finding counts once', () => {
    const full = doc('k_full.txt', { council: 'York', documentType: 'full_inspection', framework: 'ilacs', date: '2022-03-01', published: '2022-03-01', inspectionStart: '2022-01-10', inspectionEnd: '2022-01-14', grades: { overall: 'good', areas: { impact_of_leaders: 'good' } } }, [
      [F2, 'S', ['voice_of_child']],
      [F3, 'I', ['strategy_discussions']],
    ]);
    const paper = doc('j_paper.txt', { council: 'York', documentType: 'council_report', date: '2022-05-10' }, [
      [F3, 'I', ['strategy_discussions']],
      ['The committee noted the report.', 'N', []],
    ]);
    const older = doc('l_sif.txt', { council: 'York', documentType: 'full_inspection', framework: 'sif', date: '2015-06-01', inspectionStart: '2015-03-02', inspectionEnd: '2015-03-26', grades: { overall: 'requires_improvement', areas: {} } }, [[F1, 'I', ['iro_reviews']]]);
    const agg = aggregate([paper, full, older], codebook);
    expect(agg.inspections.map((r) => [r.id, r.kind, r.framework, r.inspectionStart, r.inspectionEnd, r.published, r.overallGrade, r.documents])).toEqual([
      ['l_sif.txt', 'sif_inspection', 'sif', '2015-03-02', '2015-03-26', '2015-06-01', 'requires_improvement', ['l_sif.txt']],
      ['k_full.txt', 'ilacs_short', 'ilacs', '2022-01-10', '2022-01-14', '2022-03-01', 'good', ['k_full.txt', 'j_paper.txt']],
    ]);
    const ilacs = agg.inspections[1]!;
    expect([ilacs.sentences, ilacs.strengths, ilacs.improvements, ilacs.mixed, ilacs.neutral, ilacs.duplicates]).toEqual([4, 1, 1, 0, 1, 1]);
  });
});

describe('de-duplication', () => {
  it('normalises quotation marks, list numbering, emphasis and case', () => {
    expect(normaliseFinding(`19.1 *'${F1.toUpperCase()}'*`)).toBe(normaliseFinding(F1.replace('’', "'")));
    expect(normaliseFinding(`- 18.1. ${F2}`)).toBe(normaliseFinding(F2));
    expect(normaliseFinding('25 cases were audited by the team.')).not.toBe(normaliseFinding('30 cases were audited by the team.'));
  });

  it('counts a finding quoted in a council report once, keeping the Ofsted copy', () => {
    const docs = [letter, report, oldLetter, other, news];
    const dups = findDuplicates(docs, assignInspections(docs));
    expect(dups.map((d) => [d.sentenceId, d.duplicateOf])).toEqual([
      ['b_report.txt#1', 'a_letter.txt#0'],
      ['b_report.txt#2', 'a_letter.txt#1'],
    ]);
    expect(dups[0].council).toBe('Hampshire');
    expect(dups[0].inspection).toBe('a_letter.txt');
  });

  it('counts council x theme findings after de-duplication, with rates per evaluative sentence', () => {
    const agg = aggregate([news, other, report, letter, oldLetter], codebook);
    expect(agg.documents.map((d) => d.id)).toEqual(['a_letter.txt', 'b_report.txt', 'c_old_letter.txt', 'd_other.txt', 'e_news.txt']);
    expect(agg.councils).toEqual(['Hampshire', 'Southampton']);
    expect(agg.duplicateOf).toEqual({ 'b_report.txt#1': 'a_letter.txt#0', 'b_report.txt#2': 'a_letter.txt#1' });
    const cell = (c: string, t: string) => agg.councilThemes.find((r) => r.council === c && r.theme === t)!;
    expect(cell('Hampshire', 'iro_reviews')).toMatchObject({ improvements: 1, strengths: 0, themeEvaluative: 1, improvementShare: 1, documents: ['a_letter.txt'], sentenceIds: ['a_letter.txt#0'] });
    // letter + undated news (its own inspection) + not the report's quotation
    expect(cell('Hampshire', 'voice_of_child')).toMatchObject({ strengths: 2, sentenceIds: ['a_letter.txt#1', 'e_news.txt#0'] });
    // two inspections five years apart
    expect(cell('Hampshire', 'management_oversight')).toMatchObject({ improvements: 2, documents: ['a_letter.txt', 'c_old_letter.txt'] });
    expect(cell('Southampton', 'iro_reviews').improvements).toBe(1);
    const hants = agg.councilInfo.find((c) => c.council === 'Hampshire')!;
    // evaluative: letter 4 + report 1 (the cabinet sentence) + old letter 1 + news 1
    expect(hants).toMatchObject({ evaluative: 7, duplicates: 2, sentences: 10 });
    expect(cell('Hampshire', 'iro_reviews').evaluative).toBe(7);
    // Every counted id is a sentence that is not a duplicate; all sentences stay listed.
    expect(agg.findings).toHaveLength(12);
    for (const r of agg.councilThemes) for (const id of r.sentenceIds) expect(agg.duplicateOf[id]).toBeUndefined();
  });

  it('leaves short repeated phrases alone', () => {
    const a = doc('x.txt', { council: 'Leeds', documentType: 'ofsted_letter', date: '2020-01-01' }, [['Practice is strong.', 'S', []]]);
    const b = doc('y.txt', { council: 'Leeds', documentType: 'council_report', date: '2020-02-01' }, [['Practice is strong.', 'S', []]]);
    expect(aggregate([a, b], codebook).duplicates).toEqual([]);
  });
});

describe('benchmark', () => {
  const cb = codebook;
  const mk = (council: string, n: [number, number]) =>
    doc(`${council}.txt`, { council, documentType: 'ofsted_letter', date: '2023-01-01' }, [
      ...Array.from({ length: n[0] }, (_, i): S => [`Strength number ${i} about care leavers being well supported here.`, 'S', ['care_leavers']]),
      ...Array.from({ length: n[1] }, (_, i): S => [`Area number ${i} where care leavers do not receive timely help.`, 'I', ['care_leavers']]),
    ]);
  // care_leavers improvement shares: Barnsley 0.5, Rotherham 0.25, Doncaster 0.5, Sheffield 1, Leeds none
  const docs = [mk('Barnsley', [1, 1]), mk('Rotherham', [3, 1]), mk('Doncaster', [2, 2]), mk('Sheffield', [0, 2]), mk('Leeds', [0, 0])];
  const agg = aggregate(docs, cb);
  const peersCsv = [
    'la_code,local_authority_ons_name,stat_neighbours',
    '370,Barnsley,"371, 372, 373, 999"',
    '371,Doncaster,"370, 372"',
    '372,Rotherham,"370, 371"',
    '373,Sheffield,"370"',
    '383,Leeds,"373"',
  ].join('\n');

  it('ranks councils by improvement share (1 = highest, ties share a rank) against the median', () => {
    const b = benchmark(agg, { minFindings: 1 });
    const row = (c: string) => b.rows.find((r) => r.council === c && r.theme === 'care_leavers')!;
    expect(median([0.5, 0.25, 0.5, 1])).toBe(0.5);
    expect(median([])).toBeNull();
    expect(row('Sheffield')).toMatchObject({ improvementShare: 1, rank: 1, councilsRanked: 4, medianAll: 0.5 });
    expect(row('Barnsley').rank).toBe(2);
    expect(row('Doncaster').rank).toBe(2);
    expect(row('Rotherham').rank).toBe(4);
    expect(row('Leeds')).toMatchObject({ improvementShare: null, rank: null });
    expect(b.focus).toBeNull();
  });

  it("compares the focus council with its statistical neighbours' median", () => {
    const b = benchmark(agg, { focus: 'Barnsley Metropolitan Borough Council', peers: parsePeers(peersCsv, 'peers.csv'), minFindings: 1 });
    expect(b.focus).toBe('Barnsley');
    expect(b.focusPeers).toEqual(['Doncaster', 'Rotherham', 'Sheffield']);
    expect(b.focusPeersInTable).toBe(4);
    const row = b.rows.find((r) => r.council === 'Barnsley' && r.theme === 'care_leavers')!;
    expect(row).toMatchObject({ isFocus: true, peerMedian: 0.5, peersWithData: 3, medianAll: 0.5 });
    expect(b.rows.find((r) => r.council === 'Sheffield' && r.theme === 'care_leavers')).toMatchObject({ isPeer: true, peerMedian: 0.5, peersWithData: 1 });
    expect(b.rows.find((r) => r.council === 'Leeds' && r.theme === 'care_leavers')).toMatchObject({ isPeer: false, peerMedian: 1 });
  });

  it('matches councils by name variants and ONS code, and explains an unknown focus in one line', () => {
    expect(normaliseCouncilName('London Borough of Hammersmith & Fulham')).toBe(normaliseCouncilName('Hammersmith and Fulham'));
    expect(normaliseCouncilName('Bristol, City of')).toBe('bristol');
    expect(normaliseCouncilName('Southampton City Council')).toBe('southampton');
    expect(resolveCouncil(agg, 'sheffield')).toBe('Sheffield');
    const withCode = aggregate([doc('k.txt', { council: 'Kent', onsCode: 'E10000016' }, [])], cb);
    expect(resolveCouncil(withCode, 'e10000016')).toBe('Kent');
    expect(() => resolveCouncil(agg, 'Atlantis')).toThrow(UserError);
    expect(() => resolveCouncil(agg, 'Atlantis')).toThrow(/^--focus "Atlantis" matches no council in the corpus \(councils: Barnsley, Doncaster, Leeds, Rotherham, Sheffield; all are in documents.csv\)$/);
    expect(() => resolveCouncil(agg, 'Sheffeild')).toThrow(/did you mean --focus "Sheffield"\?/);
    // Every spelling the gazetteer accepts, --focus accepts (one normaliser: vocab/councils.ts).
    expect(resolveCouncil(agg, 'Barnsley Metropolitan District Council')).toBe('Barnsley');
    expect(resolveCouncil(agg, 'Barnsley Metropolitan Borough Council')).toBe('Barnsley');
  });

  it('rejects malformed neighbour tables with a one-line message', () => {
    expect(() => parsePeers('name,neighbours\nBarnsley,"1,2"\n', 'p.csv')).toThrow(/^peers file p.csv has no la_code, stat_neighbours column/);
    expect(() => parsePeers('la_code,local_authority_ons_name,stat_neighbours\n370,Barnsley,1\n370,Barnsley,2\n', 'p.csv')).toThrow(/row 3: duplicate la_code 370/);
    expect(() => parsePeers('la_code,local_authority_ons_name,stat_neighbours\n', 'p.csv')).toThrow(/has no rows/);
    expect(() => loadPeers('/nonexistent/peers.csv')).toThrow(/peers file not found/);
  });

  it("reads DfE-shaped la_lookup.csv: every authority with ten neighbours, matched by ONS code or name", () => {
    const table = loadPeers(LA_LOOKUP);
    const current = table.entries.filter((e) => e.neighbours.length > 0);
    expect(current.length).toBeGreaterThan(140);
    for (const e of current) expect(e.neighbours).toHaveLength(10);
    const hants = table.entries.find((e) => e.names.includes('hampshire'))!;
    expect(hants.onsCodes).toContain('E10000014');
    const a = aggregate([doc('h.txt', { council: 'Hampshire County Council' }, []), doc('s.txt', { council: 'Kent', onsCode: 'E10000016' }, [])], cb);
    const b = benchmark(a, { focus: 'Hampshire', peers: table, minFindings: 1 });
    expect(b.unmatched).toEqual([]);
    expect(b.focusPeersInTable).toBe(10);
  });
});

describe('comparison window', () => {
  const rec = (id: string, council: string, kind: InspectionRecord['kind'], start: string, framework: InspectionRecord['framework'] = 'ilacs'): InspectionRecord => ({
    id, council, onsCode: '', region: '', kind, framework, inspectionStart: start, inspectionEnd: start, published: start, overallGrade: '', areaGrades: {}, documents: [id],
    sentences: 0, strengths: 0, improvements: 0, mixed: 0, neutral: 0, duplicates: 0,
  });
  const records = [
    rec('york-2014', 'York', 'sif_inspection', '2014-05-01', 'sif'),
    rec('york-2019', 'York', 'ilacs_standard', '2019-03-01'),
    rec('york-fv-2021', 'York', 'focused_visit', '2021-06-01'),
    rec('york-paper-2021', 'York', 'council_report', '2021-09-01', ''),
    rec('york-fv-2017', 'York', 'focused_visit', '2017-01-01', 'sif'),
    rec('leeds-2015', 'Leeds', 'sif_inspection', '2015-01-10', 'sif'),
    rec('hull-paper', 'Hull', 'council_report', '2020-01-01', ''),
  ];
  const ids = (w: ComparisonWindow) => [...selectInspections(records, w)].sort();

  it('latest: each council its latest full inspection and the visits and papers after it; a council with none keeps what it has', () => {
    expect(ids({ period: { kind: 'latest' } })).toEqual(['hull-paper', 'leeds-2015', 'york-2019', 'york-fv-2021', 'york-paper-2021']);
  });
  it('all pools everything; a range keeps inspections on site within it; a framework keeps its own', () => {
    expect(ids({ period: { kind: 'all' } })).toHaveLength(records.length);
    expect(ids({ period: parsePeriod('2015..2019') })).toEqual(['leeds-2015', 'york-2019', 'york-fv-2017']);
    expect(ids({ period: parsePeriod('2019-03-02..') })).toEqual(['hull-paper', 'york-fv-2021', 'york-paper-2021']);
    expect(ids({ period: { kind: 'latest' }, framework: 'sif' })).toEqual(['leeds-2015', 'york-2014', 'york-fv-2017']);
  });
  it('parses --period and --framework, and refuses what is not a window with the fix', () => {
    expect(parsePeriod('2018..2025')).toEqual({ kind: 'range', from: '2018-01-01', to: '2025-12-31' });
    expect(parsePeriod(' LATEST ')).toEqual({ kind: 'latest' });
    expect(() => parsePeriod('2025..2018')).toThrow(/use latest, all, or <from>\.\.<to>/);
    expect(() => parsePeriod('last')).toThrow(UserError);
    expect(parseFramework('ILACS')).toBe('ilacs');
    expect(() => parseFramework('jtai')).toThrow(/one of earlier, sif, ilacs/);
    expect(windowKey({ period: parsePeriod('2018..2025'), framework: 'ilacs' })).toBe('2018-01-01..2025-12-31, framework ilacs');
  });
  it('the aggregates cover the window; the complete lists keep every document, marked in or out', () => {
    const older = doc('m_old.txt', { council: 'York', documentType: 'full_inspection', framework: 'sif', date: '2015-06-01', inspectionStart: '2015-03-02', grades: { overall: 'inadequate', areas: {} } }, [[F1, 'I', ['iro_reviews']]]);
    const newer = doc('n_new.txt', { council: 'York', documentType: 'full_inspection', framework: 'ilacs', date: '2022-03-01', inspectionStart: '2022-01-10', grades: { overall: 'good', areas: {} } }, [[F2, 'S', ['voice_of_child']]]);
    const latest = aggregate([older, newer], codebook, { window: { period: { kind: 'latest' } } });
    expect(latest.documents.map((d) => d.id)).toEqual(['n_new.txt']);
    expect(latest.all.documents.map((d) => d.id)).toEqual(['m_old.txt', 'n_new.txt']);
    expect(latest.inWindow).toEqual({ 'm_old.txt': false, 'n_new.txt': true });
    expect(latest.councilThemes.find((r) => r.theme === 'iro_reviews')!.themeEvaluative).toBe(0);
    const pooled = aggregate([older, newer], codebook);
    expect(pooled.window.key).toBe('all');
    expect(pooled.councilThemes.find((r) => r.theme === 'iro_reviews')!.themeEvaluative).toBe(1);
  });
});

describe('honest uncertainty', () => {
  it('Wilson 95% intervals match hand-worked values', () => {
    // 5 of 10: centre (0.5 + 1.9208/10) / 1.38415 = 0.5, half 1.96 * sqrt(0.025 + 0.009604) / 1.38415 = 0.2634.
    const a = wilson(5, 10)!;
    expect(a.low).toBeCloseTo(0.2366, 4);
    expect(a.high).toBeCloseTo(0.7634, 4);
    // 0 of 10: [0, z^2 / (n + z^2)] = [0, 3.8415 / 13.8415]; 1 of 1: [1 / (1 + z^2), 1].
    expect(wilson(0, 10)!.low).toBe(0);
    expect(wilson(0, 10)!.high).toBeCloseTo(0.2775, 4);
    expect(wilson(1, 1)!.low).toBeCloseTo(0.2065, 4);
    expect(wilson(1, 1)!.high).toBe(1);
    // 81 of 263, a worked example of Newcombe (1998, Statistics in Medicine 17:857): score interval 0.2553 to 0.3662.
    expect(wilson(81, 263)!.low).toBeCloseTo(0.2553, 3);
    expect(wilson(81, 263)!.high).toBeCloseTo(0.3662, 3);
    expect(wilson(0, 0)).toBeNull();
    expect(compareWith(wilson(8, 10), 0.4)).toBe('higher');
    expect(compareWith(wilson(5, 10), 0.4)).toBe('similar');
    expect(compareWith(wilson(1, 20), 0.4)).toBe('lower');
  });

  it('cells under the minimum count are marked and left out of ranks and medians; flags only where the interval supports them', () => {
    const mk = (council: string, s: number, i: number) =>
      doc(`${council}.txt`, { council, documentType: 'ofsted_letter', date: '2023-01-01' }, [
        ...Array.from({ length: s }, (_, k): S => [`Strength ${k} for care leavers who are well supported.`, 'S', ['care_leavers']]),
        ...Array.from({ length: i }, (_, k): S => [`Area ${k} where care leavers wait too long for help.`, 'I', ['care_leavers']]),
      ]);
    // Shares: Barnsley 9/10, Doncaster 5/10, Rotherham 1/10, Sheffield 1/20, Leeds 1/2 (two findings only).
    const agg = aggregate([mk('Barnsley', 1, 9), mk('Doncaster', 5, 5), mk('Rotherham', 9, 1), mk('Sheffield', 19, 1), mk('Leeds', 1, 1)], codebook);
    const b = benchmark(agg);
    expect(b.minFindings).toBe(5);
    const row = (c: string) => b.rows.find((r) => r.council === c && r.theme === 'care_leavers')!;
    expect(row('Leeds')).toMatchObject({ lowCount: true, rank: null, vsMedian: null, improvementShare: 0.5 });
    expect(row('Leeds').improvementLow).toBeCloseTo(wilson(1, 2)!.low, 10);
    expect(row('Barnsley')).toMatchObject({ rank: 1, councilsRanked: 4, lowCount: false });
    // Median of the four ranked shares 0.9, 0.5, 0.1, 0.05 = 0.3 (Leeds' 0.5 would move it).
    expect(row('Barnsley').medianAll).toBeCloseTo(0.3, 10);
    expect(row('Barnsley').vsMedian).toBe('higher'); // 9/10: [0.596, 0.982]
    expect(row('Doncaster').vsMedian).toBe('similar'); // 5/10 spans 0.3
    expect(row('Rotherham').vsMedian).toBe('similar'); // 1/10: [0.018, 0.404] reaches 0.3
    expect(row('Sheffield').vsMedian).toBe('lower'); // 1/20: [0.009, 0.236]
  });
});

describe('change over time and national trends', () => {
  it("Newcombe's interval for a difference of shares matches his worked examples", () => {
    // Newcombe (1998, Statistics in Medicine 17:873), method 10: 56/70 - 48/80 -> 0.0524 to 0.3339; 5/56 - 0/29 -> -0.0381 to 0.1926.
    const a = differenceInterval(56, 70, 48, 80)!;
    expect(a.low).toBeCloseTo(0.0524, 4);
    expect(a.high).toBeCloseTo(0.3339, 4);
    const b = differenceInterval(5, 56, 0, 29)!;
    expect(b.low).toBeCloseTo(-0.0381, 4);
    expect(b.high).toBeCloseTo(0.1926, 4);
    // 5/10 - 5/10: no change, half-width sqrt(2) x 0.2634 (the Wilson half-width of 5/10).
    expect(differenceInterval(5, 10, 5, 10)!.high).toBeCloseTo(0.3725, 4);
    expect(differenceInterval(1, 2, 0, 0)).toBeNull();
  });

  it('each inspection against the previous one per theme, with the sentences behind both; trends by year and framework', () => {
    const sif = doc('p_sif.txt', { council: 'York', documentType: 'full_inspection', framework: 'sif', date: '2015-06-01', inspectionStart: '2015-03-02', grades: { overall: 'inadequate', areas: {} } }, [
      ...Array.from({ length: 9 }, (_, k): S => [`Return home interview ${k} is not offered to children who go missing.`, 'I', ['return_home_interviews']]),
      [`Return home interviews are offered promptly to some children.`, 'S', ['return_home_interviews']],
    ]);
    const ilacs = doc('q_ilacs.txt', { council: 'York', documentType: 'full_inspection', framework: 'ilacs', date: '2022-03-01', inspectionStart: '2022-01-10', inspectionEnd: '2022-01-21', grades: { overall: 'good', areas: {} } }, [
      ...Array.from({ length: 9 }, (_, k): S => [`Return home interview ${k} now happens within 72 hours and informs plans.`, 'S', ['return_home_interviews']]),
      [`A few return home interviews are late.`, 'I', ['return_home_interviews']],
    ]);
    const agg = aggregate([sif, ilacs], codebook);
    expect(agg.changes).toHaveLength(1);
    const c = agg.changes[0]!;
    expect([c.previous, c.current, c.previousShare, c.currentShare, c.direction]).toEqual(['p_sif.txt', 'q_ilacs.txt', 0.9, 0.1, 'improved']);
    expect(c.change).toBeCloseTo(-0.8, 10);
    expect(c.previousSentences).toHaveLength(10);
    expect(c.currentSentences[0]).toBe('q_ilacs.txt#0');
    const byFramework = agg.trends.filter((t) => t.by === 'framework' && t.theme === 'return_home_interviews');
    expect(byFramework.map((t) => [t.group, t.inspections, t.raising, t.findings, t.improvements])).toEqual([['ilacs', 1, 1, 10, 1], ['sif', 1, 1, 10, 9]]);
    expect(agg.trends.filter((t) => t.by === 'year' && t.theme === 'return_home_interviews').map((t) => t.group)).toEqual(['2015', '2022']);
  });
});

describe('groups: region and overall grade', () => {
  it("pools the window's inspections by region and by grade, and contrasts weaker with stronger grades", () => {
    const mk = (id: string, council: string, region: string, grade: 'good' | 'inadequate', s: number, i: number) =>
      doc(id, { council, region, documentType: 'full_inspection', framework: 'ilacs', date: '2023-01-01', inspectionStart: '2022-11-01', grades: { overall: grade, areas: {} } }, [
        ...Array.from({ length: s }, (_, k): S => [`Strength ${k} of ${council}: plans for care leavers are reviewed well.`, 'S', ['care_leavers']]),
        ...Array.from({ length: i }, (_, k): S => [`Area ${k} of ${council}: care leavers wait too long for their pathway plans.`, 'I', ['care_leavers']]),
      ]);
    const agg = aggregate([mk('a.txt', 'York', 'Yorkshire and The Humber', 'good', 8, 2), mk('b.txt', 'Leeds', 'Yorkshire and The Humber', 'inadequate', 2, 8), mk('c.txt', 'Kent', 'South East', 'good', 9, 1)], codebook, { window: { period: { kind: 'latest' } } });
    const rows = agg.groups.filter((g) => g.theme === 'care_leavers');
    expect(rows.filter((r) => r.by === 'region').map((r) => [r.group, r.inspections, r.findings, r.improvements])).toEqual([['South East', 1, 10, 1], ['Yorkshire and The Humber', 2, 20, 10]]);
    expect(rows.filter((r) => r.by === 'grade').map((r) => [r.group, r.findings, r.improvements])).toEqual([['good', 20, 3], ['inadequate', 10, 8]]);
    const contrast = rows.find((r) => r.by === 'grade_contrast')!;
    expect(contrast.share).toBeCloseTo(0.8 - 0.15, 10);
    expect(contrast.low!).toBeGreaterThan(0); // 8/10 against 3/20: the interval excludes no difference
    expect(contrast.low).toBeCloseTo(differenceInterval(8, 10, 3, 20)!.low, 10);
  });
});

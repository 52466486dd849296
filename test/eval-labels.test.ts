/**
 * Evaluation of the S/I/M/N tagger: metrics, heading detection for eval units, the AFINN baseline,
 * document-held-out training and k-fold assignment. The figures on ../shared/eval are asserted in
 * eval-acceptance.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { evalDocKind, groupByDoc, type EvalUnit } from '../src/eval/data.js';
import { afinnLabel, evaluateLabels, examplesOf, foldOf, formatLabelEval, looksLikeHeading, prepareDocs, scoreLabels, unitsToSentences } from '../src/eval/labels.js';
import type { LabelCode } from '../src/types.js';

describe('scoreLabels', () => {
  it('computes per-label P/R/F1, macro-F1 and the confusion matrix', () => {
    const gold: LabelCode[] = ['S', 'S', 'I', 'I', 'M', 'N'];
    const pred: LabelCode[] = ['S', 'I', 'I', 'I', 'I', 'N'];
    const m = scoreLabels(gold, pred);
    const by = Object.fromEntries(m.perLabel.map((s) => [s.label, s]));
    expect(by.S.precision).toBe(1);
    expect(by.S.recall).toBe(0.5);
    expect(by.I.precision).toBe(0.5);
    expect(by.I.recall).toBe(1);
    expect(by.M.f1).toBe(0);
    expect(by.N.f1).toBe(1);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 0 + 1) / 4, 10);
    expect(m.confusion.S.I).toBe(1);
    expect(m.confusion.M.I).toBe(1);
    expect(m.accuracy).toBeCloseTo(4 / 6, 10);
  });
});

describe('eval units -> Sentence records', () => {
  it('treats short title-like units as headings, not sentence fragments', () => {
    expect(looksLikeHeading('What needs to improve?')).toBe(true);
    expect(looksLikeHeading('Help and protection')).toBe(true);
    expect(looksLikeHeading('The experiences and progress of children in care and care leavers: requires improvement to be good')).toBe(true);
    expect(looksLikeHeading('Children are seen regularly by their social workers.')).toBe(false);
    expect(looksLikeHeading('This is shown by the number of care leavers who are')).toBe(false);
    expect(looksLikeHeading('when the plan is')).toBe(false);
  });
  it('builds section paths from the headings, in order', () => {
    const u = (i: number, text: string): EvalUnit => ({ doc: 'd', i, text, label: 'N', themes: [], how: 'single' });
    const s = unitsToSentences([u(0, 'What needs to improve?'), u(1, 'The timeliness of assessments.'), u(2, 'Help and protection'), u(3, 'Plans are clear.')]);
    expect(s.map((x) => x.isHeading)).toEqual([true, false, true, false]);
    expect(s[1].sectionPath).toEqual(['What needs to improve?']);
    expect(s[3].sectionPath).toEqual(['Help and protection']);
    expect(s[1].tokens).toEqual(['the', 'timeliness', 'of', 'assessments']);
  });
});

describe('AFINN baseline', () => {
  it('maps the sentiment sign to S/I and zero to N', () => {
    expect(afinnLabel('Children are happy and enjoy strong, trusting relationships.')).toBe('S');
    expect(afinnLabel('Practice is poor and children are left in harmful situations.')).toBe('I');
    expect(afinnLabel('Lead inspector: Jane Example')).toBe('N');
    // the lexicon's blind spot that motivates the tagger: no negative word, still a weakness
    expect(afinnLabel('Not all children who go missing are offered an interview when they return.')).not.toBe('I');
  });
});

describe('document-held-out training', () => {
  const u = (doc: string, i: number, text: string, label: LabelCode): EvalUnit => ({ doc, i, text, label, themes: [], how: 'single' });
  const units = [
    u('a', 0, 'Social workers know children well.', 'S'),
    u('a', 1, 'Plans are not always reviewed.', 'I'),
    u('b', 0, 'Visits are timely and purposeful.', 'S'),
    u('b', 1, 'Too many children wait for assessments.', 'I'),
    u('b', 2, 'Supervision is regular, but it is not recorded.', 'M'),
    u('c', 0, 'Lead inspector: Jane Example', 'N'),
    u('c', 1, 'Assessments are thorough.', 'S'),
  ];
  it('never trains on the held-out document', () => {
    const prepared = prepareDocs(groupByDoc(units));
    expect(examplesOf(prepared, new Set(['b'])).length).toBe(4);
    expect(examplesOf(prepared, new Set(['a', 'c'])).map((e) => e.label)).toEqual(['S', 'I', 'M']);
  });
  it('scores every unit once, ours and AFINN on the same split', () => {
    const r = evaluateLabels(units);
    expect(r.documents).toBe(3);
    expect(r.ours.n).toBe(units.length);
    expect(r.afinn.n).toBe(units.length);
    expect(r.predictions.map((p) => p.doc)).toEqual(['a', 'b', 'c']);
    expect(formatLabelEval(r)).toMatch(/macro-F1/);
  });
});

describe('k-fold cross-validation by document', () => {
  it('puts each document in one fold, keeps its fold when others are added, and spreads documents over the folds', () => {
    const docs = Array.from({ length: 200 }, (_, i) => `report_${i}`);
    const folds = docs.map((d) => foldOf(d, 5));
    expect(folds.every((f) => f >= 0 && f < 5)).toBe(true);
    for (let f = 0; f < 5; f++) expect(folds.filter((x) => x === f).length).toBeGreaterThan(20);
    expect(docs.map((d) => foldOf(d, 5))).toEqual(folds);
    // The inner folds (salted) cut across an outer fold instead of repeating it.
    const outer0 = docs.filter((d) => foldOf(d, 5) === 0);
    expect(new Set(outer0.map((d) => foldOf(d, 5, 'inner:'))).size).toBeGreaterThan(1);
  });

  it('tells council papers (text) from Ofsted reports (PDF) by the source', () => {
    expect(evalDocKind('../corpus-ofsted-national/dorset_2021-11-19.pdf')).toBe('ofsted_report');
    expect(evalDocKind('../seeds/000_x.txt')).toBe('council_paper');
    expect(evalDocKind(undefined)).toBe('council_paper');
  });
});

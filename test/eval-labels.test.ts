/**
 * Evaluation of the S/I/M/N tagger: metrics, heading detection for eval units, the AFINN baseline,
 * document-held-out training and k-fold assignment. The figures on ../shared/eval are asserted in
 * eval-acceptance.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { alignUnits, unitsOnlyDoc } from '../src/eval/align.js';
import { evalDocKind, groupByDoc, type EvalUnit } from '../src/eval/data.js';
import { afinnLabel, evaluateLabels, examplesOf, foldOf, formatLabelEval, prepareDocs, scoreLabels } from '../src/eval/labels.js';
import { looksLikeHeading, unitsToSentences } from '../src/eval/units.js';
import { makeSentence } from '../src/segment/sentence.js';
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
  const docs = () => [...groupByDoc(units)].map(([doc, list]) => unitsOnlyDoc(doc, 'ofsted_report', list));
  it('never trains on the held-out document', () => {
    const prepared = prepareDocs(docs());
    expect(examplesOf(prepared, new Set(['b'])).length).toBe(4);
    expect(examplesOf(prepared, new Set(['a', 'c'])).map((e) => e.label)).toEqual(['S', 'I', 'M']);
  });
  it('scores every unit once, every model family, the rules and AFINN on the same split', () => {
    const r = evaluateLabels(prepareDocs(docs()), { folds: 3 });
    expect(r.documents).toBe(3);
    expect(r.ours.n).toBe(units.length);
    expect(r.afinn.n).toBe(units.length);
    expect(r.rulesOnly.n).toBe(units.length);
    expect(Object.keys(r.families).sort()).toEqual(['logistic', 'naive_bayes', 'perceptron']);
    for (const m of Object.values(r.families)) expect(m.n).toBe(units.length);
    expect(r.predictions.map((p) => p.doc)).toEqual(['a', 'b', 'c']);
    expect(formatLabelEval(r)).toMatch(/averaged perceptron/);
  });
});

describe('units placed in the pipeline reading of their source', () => {
  const doc = 'r';
  const s = (index: number, text: string, sectionPath: string[], heading = false) =>
    makeSentence({ doc, index, text, sectionPath, blockKind: heading ? 'heading' : 'paragraph' });
  // The pipeline's sentences: a heading, two sentences under it, another section.
  const pipeline = [
    s(0, 'What needs to improve', [], true),
    s(1, 'The timeliness of written records of supervision.', ['What needs to improve']),
    s(2, 'The consistency of return conversations for children who go missing.', ['What needs to improve']),
    s(3, 'Help and protection', [], true),
    s(4, 'Managers review plans every month and record why.', ['Help and protection']),
  ];
  const u = (i: number, text: string, label: LabelCode): EvalUnit => ({ doc, i, text, label, themes: [], how: 'single' });
  it('gives each unit the heading path of the sentence holding it, and the sentences around its window as context', () => {
    const a = alignUnits(doc, 'ofsted_report', [u(7, 'The timeliness of written records of supervision.', 'I'), u(8, 'The consistency of return conversations for children', 'I')], pipeline);
    expect(a.unitAt).toEqual([1, 2]);
    // the heading before the window and the sentence after it are context, not units
    expect(a.sentences.map((x) => x.text)).toEqual([pipeline[0]!.text, pipeline[1]!.text, 'The consistency of return conversations for children', pipeline[3]!.text]);
    expect(a.sentences[2]!.sectionPath).toEqual(['What needs to improve']);
    expect(a.sentences[0]!.isHeading).toBe(true);
  });
  it('a unit the pipeline does not hold takes the structure of the unit before it', () => {
    const a = alignUnits(doc, 'ofsted_report', [u(0, 'Managers review plans every month and record why.', 'S'), u(1, 'Page 4 of 12', 'N')], pipeline);
    expect(a.sentences[a.unitAt[1]!]!.sectionPath).toEqual(['Help and protection']);
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

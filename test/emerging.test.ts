import { describe, expect, it } from 'vitest';
import type { AnalysedDocument, LabelCode, ThemedFinding } from '../src/types.js';
import { loadCodebook, nounPhrases, themeFindings } from '../src/theme/index.js';
import { tokenBreaks } from '../src/theme/noun-phrases.js';
import { posTags } from '../src/nlp/pos.js';
import { tokenize } from '../src/nlp/tokens.js';
import { aggregate, emergingTerms, LATEST_INSPECTION, logLikelihood, logRatio } from '../src/aggregate/index.js';
import { EMERGING_COLUMNS, emergingRows } from '../src/export/index.js';
import { analysedDoc, finding } from './helpers.js';

const cb = loadCodebook();

const phrasesOf = (text: string) => {
  const tokens = tokenize(text);
  return nounPhrases(tokens, posTags(tokens), undefined, tokenBreaks(text, tokens)).map((s) => tokens.slice(s.start, s.end).join(' '));
};

describe('noun phrases (the candidates of emerging themes)', () => {
  it('finds adjective and noun runs ending in a noun, with one "of" between nouns', () => {
    const p = phrasesOf('Leaders understand the impact of the current cost of living crisis on care leavers.');
    expect(p).toContain('cost of living');
    expect(p).toContain('cost of living crisis');
    expect(p).toContain('care leavers');
    expect(phrasesOf('Children enjoy family time with their wider family networks.')).toEqual(expect.arrayContaining(['family time', 'wider family networks', 'family networks']));
  });

  it('never yields a single word, a verb phrase or a phrase ending in a possessive', () => {
    const p = phrasesOf("Social workers know children well, and plans meet their needs; the children's views are seen.");
    for (const x of p) expect(x.split(' ').length).toBeGreaterThanOrEqual(2);
    expect(p.some((x) => /\b(know|meet|seen|well)\b/.test(x))).toBe(false);
    expect(p.some((x) => / childrens$/.test(x))).toBe(false);
    expect(p).toContain('childrens views');
  });

  it('does not run on over punctuation', () => {
    const p = phrasesOf('Children, families and carers are listened to (family time is planned).');
    expect(p).not.toContain('children families');
    expect(p).toContain('family time');
  });

  it('corrects the tagger where the lexicon knows one part of speech only ("family" ends in -ly but is a noun)', () => {
    expect(posTags(tokenize('family support'))[0]).toBe('NN');
  });
});

describe('keyness', () => {
  it('G² and log ratio match hand-worked values', () => {
    // 10 of 100 target units against 10 of 1,000 reference units: expected counts 1.818 and 18.18;
    // G² = 2 * (10 ln(10/1.818) + 10 ln(10/18.18) + 90 ln(90/98.18) + 990 ln(990/981.8)) = 22.908.
    expect(logLikelihood(10, 100, 10, 1000)).toBeCloseTo(22.908, 3);
    // log2((10.5 / 100.5) / (10.5 / 1000.5)) = 3.3155
    expect(logRatio(10, 100, 10, 1000)).toBeCloseTo(3.3155, 3);
    // all five of five against none of five: 20 ln 2
    expect(logLikelihood(5, 5, 0, 5)).toBeCloseTo(13.863, 3);
    // the same rate in both parts: no keyness
    expect(logLikelihood(4, 40, 8, 80)).toBeCloseTo(0, 10);
  });
});

/** A full inspection of a council on a date, its findings written in the style of ILACS reports. */
function inspection(council: string, date: string, sentences: [LabelCode, string][]): AnalysedDocument {
  const id = `${council.toLowerCase()}_${date}.txt`;
  const findings = themeFindings(sentences.map(([code, text], index) => finding(id, index, { text, code })), cb) as ThemedFinding[];
  return analysedDoc(id, { council, documentType: 'full_inspection', date, published: date, inspectionStart: date, framework: date >= '2018' ? 'ilacs' : 'sif' }, findings);
}

const COUNCILS = ['Northshire', 'Southbury', 'Eastvale', 'Westmoor', 'Midford'];
const generic: [LabelCode, string] = ['S', 'Weekly huddles in teams help practitioners to share learning.'];
const docs = COUNCILS.flatMap((c, k) => [
  inspection(c, '2016-03-0' + (k + 1), [generic, ['I', 'Not enough young people take part in apprenticeships.']]),
  inspection(c, '2024-03-0' + (k + 1), [
    generic,
    ['S', 'Leaders understand the impact of the cost of living crisis on families.'],
    ...(c === 'Northshire'
      ? ([
          ['S', 'Young carers are identified early and given respite breaks.'],
          ['I', 'Not all young carers know where to find help in the evenings.'],
        ] as [LabelCode, string][])
      : []),
  ]),
]);

describe('emergingTerms', () => {
  const agg = aggregate(docs, cb, { window: LATEST_INSPECTION });
  const terms = emergingTerms(agg, cb);
  const rising = terms.filter((t) => t.scope === 'rising');

  it('finds phrases raised in more recent inspections than earlier ones, with the counts and interval behind them', () => {
    const col = rising.find((t) => t.term === 'cost of living crisis') ?? rising.find((t) => t.term === 'cost of living');
    expect(col).toBeDefined();
    expect(col!.recent).toMatchObject({ inspections: 5, of: 5 });
    expect(col!.earlier).toMatchObject({ inspections: 0, of: 5 });
    expect(col!.score).toBeCloseTo(13.863, 2); // 20 ln 2, as above
    expect(col!.change!.low).toBeGreaterThan(0);
    expect(col!.examples[0]).toMatch(/_2024-03-0\d\.txt#1$/);
    expect(col!.exampleText).toMatch(/cost of living/);
  });

  it('leaves out what every inspection says, and single words', () => {
    expect(terms.some((t) => t.term.includes('huddles'))).toBe(false);
    for (const t of terms) expect(t.term.split(' ').length).toBeGreaterThanOrEqual(2);
    expect(terms.some((t) => /northshire|southbury/.test(t.term))).toBe(false);
  });

  it("lists a council's own phrases against the other councils, in the window", () => {
    const north = terms.filter((t) => t.scope === 'council' && t.council === 'Northshire').map((t) => t.term);
    expect(north).toContain('young carers');
    expect(terms.filter((t) => t.scope === 'council' && t.council === 'Southbury').some((t) => t.term === 'young carers')).toBe(false);
  });

  it('is deterministic and in a fixed order: rising by score, then councils by name', () => {
    expect(emergingTerms(aggregate([...docs].reverse(), cb, { window: LATEST_INSPECTION }), cb)).toEqual(terms);
    const scopes = terms.map((t) => t.scope);
    expect(scopes.indexOf('council')).toBeGreaterThan(scopes.lastIndexOf('rising'));
    for (let i = 1; i < rising.length; i++) expect(rising[i - 1]!.score).toBeGreaterThanOrEqual(rising[i]!.score);
  });

  it('formats rows matching EMERGING_COLUMNS', () => {
    const rows = emergingRows(terms, agg.window.key);
    expect(rows.length).toBe(terms.length);
    for (const r of rows) expect(r.length).toBe(EMERGING_COLUMNS.length);
    const at = (name: (typeof EMERGING_COLUMNS)[number]) => EMERGING_COLUMNS.indexOf(name);
    const row = rows.find((r) => r[at('scope')] === 'rising')!;
    expect(row[at('window')]).toBe('all');
    expect(row[at('recent_total')]).toBe(5);
    expect(rows.find((r) => r[at('scope')] === 'council')![at('window')]).toBe('latest');
  });
});

import { describe, expect, it } from 'vitest';
import type { AnalysedDocument, LabelCode, ThemedFinding } from '../src/types.js';
import { EMERGING_COLUMNS, emergingRows, emergingTerms, loadCodebook, themeFindings } from '../src/theme/index.js';
import { analysedDoc, finding } from './helpers.js';

const cb = loadCodebook();

/** A document of one council built from sentences written in the style of ILACS reports. */
function doc(id: string, council: string, sentences: [LabelCode, string][]): AnalysedDocument {
  const findings = themeFindings(sentences.map(([code, text], index) => finding(id, index, { text, code })), cb) as ThemedFinding[];
  return analysedDoc(id, { council, documentType: 'full_inspection' }, findings);
}

const northshire = doc('northshire.txt', 'Northshire', [
  ['S', 'Young carers are identified early and receive a young carers assessment that leads to helpful support.'],
  ['I', 'Not all young carers are offered a young carers assessment when their parents are unwell.'],
  ['S', 'The young carers service runs groups that young carers value.'],
  ['S', 'Strategy meetings are timely and well attended.'],
  ['S', 'Strategy meetings lead to clear plans.'],
  ['N', 'The family hub programme hub hub hub was launched in 2023.'],
]);
const southbury = doc('southbury.txt', 'Southbury', [
  ['S', 'Life skills sessions help children to learn to cook and budget.'],
  ['I', 'Not enough children take part in life skills sessions.'],
  ['S', 'Strategy meetings are timely.'],
]);

describe('emergingTerms', () => {
  const terms = emergingTerms([southbury, northshire], cb);

  it('finds repeated phrases that no theme covers, per council and overall', () => {
    const north = terms.filter((t) => t.council === 'Northshire').map((t) => t.term);
    expect(north).toContain('young carers');
    expect(north.some((t) => t.includes('assessment'))).toBe(false); // the assessments theme covers it
    expect(terms.filter((t) => t.council === 'Southbury').map((t) => t.term)).toContain('life skills sessions');
    const overall = terms.filter((t) => t.council === '');
    expect(overall.map((t) => t.term)).toContain('young carers');
    const yc = overall.find((t) => t.term === 'young carers')!;
    expect(yc.sentences).toBe(3);
    expect(yc.examples).toEqual(['northshire.txt#0', 'northshire.txt#1', 'northshire.txt#2']);
  });

  it('leaves out terms a theme covers, neutral sentences and stopwords', () => {
    const all = terms.map((t) => t.term);
    expect(all.some((t) => /strategy|meeting/.test(t))).toBe(false); // strategy_discussions covers them
    expect(all.some((t) => /\bhub\b|programme/.test(t))).toBe(false); // only in a neutral sentence
    expect(all).not.toContain('the');
    expect(all.some((t) => /northshire|southbury/.test(t))).toBe(false); // council names
  });

  it('is deterministic: overall first, then councils by name, each by score desc then term', () => {
    const again = emergingTerms([northshire, southbury], cb);
    expect(again).toEqual(terms);
    const councils = terms.map((t) => t.council);
    expect(councils).toEqual([...councils].sort());
    for (const c of new Set(councils)) {
      const list = terms.filter((t) => t.council === c);
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1], list[i]];
        expect(a.score > b.score || (a.score === b.score && a.term < b.term)).toBe(true);
      }
    }
  });

  it('formats rows matching EMERGING_COLUMNS', () => {
    const rows = emergingRows(terms);
    expect(rows.length).toBe(terms.length);
    for (const r of rows) expect(r.length).toBe(EMERGING_COLUMNS.length);
    const row = rows.find((r) => r[0] === 'overall' && r[2] === 'young carers')!;
    expect(row[3]).toBe(2);
    expect(row[6]).toBe('northshire.txt#0;northshire.txt#1;northshire.txt#2');
  });
});

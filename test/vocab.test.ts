/**
 * The project's vocabulary, each item defined in one module (src/vocab/): the parts of the tool
 * that compare council names (gazetteer, statistical-neighbour tables, --focus) agree because
 * they share one normaliser.
 */
import { describe, expect, it } from 'vitest';
import { nearestCouncil, normaliseCouncilName, UNKNOWN_COUNCIL } from '../src/vocab/councils.js';
import { GRADES, JUDGEMENT, parseGrade } from '../src/vocab/grades.js';
import { EVIDENCE_KINDS } from '../src/vocab/evidence.js';
import { SKIP_CODES } from '../src/vocab/skips.js';
import { asDocumentType, DOCUMENT_TYPES, FRAMEWORKS, frameworkOn } from '../src/vocab/documents.js';
import { DEFAULT_LEXICON_PATH, validateLexicon } from '../src/tag/lexicon.js';
import { tagSentences } from '../src/tag/index.js';
import { readFileSync } from 'node:fs';
import { Gazetteer } from '../src/ingest/gazetteer.js';
import { findPeerEntry, loadPeers } from '../src/aggregate/peers.js';
import { councilName } from '../src/aggregate/dedupe.js';
import { analysedDoc, withoutShared } from './helpers.js';

const PEERS = '../shared/reference/la_lookup.csv';

describe('council names (src/vocab/councils.ts)', () => {
  it('gives one key to the spellings that sources use', () => {
    const key = normaliseCouncilName('Barnsley');
    for (const v of ['Barnsley Metropolitan District Council', 'Barnsley Metropolitan Borough Council', 'BARNSLEY COUNCIL', 'barnsley']) expect(normaliseCouncilName(v)).toBe(key);
    expect(normaliseCouncilName('Bristol, City of')).toBe(normaliseCouncilName('Bristol City Council'));
    expect(normaliseCouncilName('St. Helens')).toBe(normaliseCouncilName('St Helens Council'));
    expect(normaliseCouncilName('Hammersmith & Fulham')).toBe(normaliseCouncilName('London Borough of Hammersmith and Fulham'));
    expect(normaliseCouncilName('Saint-Étienne')).toBe('saint etienne');
    expect(normaliseCouncilName('Leeds')).not.toBe(normaliseCouncilName('Leicester'));
  });

  it('suggests the nearest name for a mistyped one, and nothing for a name far from every council', () => {
    const names = Gazetteer.load().authorities.map((a) => a.name);
    expect(nearestCouncil('Hamshire', names)).toBe('Hampshire');
    expect(nearestCouncil('Sheffeild City Council', names)).toBe('Sheffield');
    expect(nearestCouncil('Nottinghamshir', names)).toBe('Nottinghamshire');
    expect(nearestCouncil('Atlantis', names)).toBeUndefined();
    expect(nearestCouncil('', names)).toBeUndefined();
  });

  it('names a document with no council UNKNOWN_COUNCIL', () => {
    expect(councilName(analysedDoc('x.txt', { council: '' }, []))).toBe(UNKNOWN_COUNCIL);
    expect(councilName(analysedDoc('x.txt', { council: 'Kent' }, []))).toBe('Kent');
  });

  it.skipIf(withoutShared(PEERS))('finds every current council of the gazetteer in the statistical-neighbour table under its "Metropolitan District Council" and "County Council" spellings too', () => {
    const table = loadPeers(PEERS);
    const gaz = Gazetteer.load();
    const missing: string[] = [];
    for (const a of gaz.authorities.filter((x) => x.status === 'current')) {
      const entry = findPeerEntry(table, a.name, '');
      if (!entry) continue; // (the table predates some councils)
      for (const v of [`${a.name} Council`, `${a.name} Metropolitan District Council`, `${a.name} County Council`]) if (findPeerEntry(table, v, '') !== entry) missing.push(v);
    }
    expect(missing).toEqual([]);
  });
});

describe('grades (src/vocab/grades.ts)', () => {
  it('reads a grade however a report writes it', () => {
    expect(parseGrade('Requires improvement to be good')).toBe('requires_improvement');
    expect(parseGrade('require improvement')).toBe('requires_improvement');
    expect(parseGrade('improvement to be good')).toBe('requires_improvement');
    expect(parseGrade('Overall effectiveness: Good')).toBe('good');
    expect(parseGrade('Grade 3 (adequate)')).toBe('adequate');
    expect(parseGrade('INADEQUATE')).toBe('inadequate');
    expect(parseGrade('The service is improving')).toBeUndefined();
    for (const g of GRADES) expect(parseGrade(g.replace('_', ' '))).toBe(g);
  });

  it('gives one pattern that graded headings are read with', () => {
    const heading = new RegExp(`:\\s*(?:${JUDGEMENT})$`, 'i');
    expect(heading.test('The experiences and progress of care leavers: requires improvement to be good')).toBe(true);
    expect(heading.test('Children in care: good')).toBe(true);
    expect(heading.test('Children in care: goodness')).toBe(false);
    expect(heading.test('Children in care: adequate')).toBe(false);
  });
});

describe('evidence kinds (src/vocab/evidence.ts)', () => {
  it('every piece of evidence the tagger gives on a real document is of a listed kind', async () => {
    const { ingest } = await import('../src/ingest/index.js');
    const { segment } = await import('../src/segment/index.js');
    const doc = segment(await ingest({ file: '002_c69c48fbe66e34e8.txt', path: 'corpus/002_c69c48fbe66e34e8.txt', format: 'txt' }));
    const kinds = new Set(tagSentences(doc.sentences).flatMap((f) => f.evidence.map((e) => e.kind)));
    expect(kinds.size).toBeGreaterThan(4);
    for (const k of kinds) expect(EVIDENCE_KINDS).toContain(k);
  });

  it('a lexicon group of a kind that is not listed is refused when the lexicon loads', () => {
    const json = JSON.parse(readFileSync(DEFAULT_LEXICON_PATH, 'utf8'));
    json.strength[0].kind = 'praise';
    expect(() => validateLexicon(json, 'lexicon.json')).toThrow(/kind/);
  });
});

describe('skip codes (src/vocab/skips.ts)', () => {
  it('the README lists every code a skipped document can carry, and no other', () => {
    const readme = readFileSync('README.md', 'utf8');
    const para = readme.slice(readme.indexOf('The codes (`SKIP_CODES`'), readme.indexOf('Nothing in the folder is left out'));
    expect(para.length).toBeGreaterThan(100);
    const listed = [...para.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!).filter((w) => /^[a-z]+(?:_[a-z]+)*$/.test(w) && !w.startsWith('--'));
    for (const code of SKIP_CODES) expect(listed, code).toContain(code);
    expect(listed.filter((w) => !(SKIP_CODES as readonly string[]).includes(w))).toEqual([]);
  });
});

describe('document types and frameworks (src/vocab/documents.ts)', () => {
  it('the README lists exactly the document types a document can have', () => {
    const readme = readFileSync('README.md', 'utf8');
    const at = readme.indexOf('`document_type` is one of');
    expect(at).toBeGreaterThan(0);
    const list = readme.slice(at, readme.indexOf('(`src/vocab/documents.ts`)', at));
    const listed = list.replace('`document_type` is one of', '').replace(/[`\s]/g, '').split(',');
    expect(listed).toEqual([...DOCUMENT_TYPES]);
  });

  it('reads the spellings a manifest uses, and nothing else', () => {
    expect(asDocumentType('Focused visit')).toBe('focused_visit');
    expect(asDocumentType(' full-inspection ')).toBe('full_inspection');
    expect(asDocumentType('LSCB review')).toBe('lscb_review');
    expect(asDocumentType('inspection')).toBeUndefined();
    for (const t of DOCUMENT_TYPES) expect(asDocumentType(t.toUpperCase())).toBe(t);
  });

  it('dates each framework by the day it came into force', () => {
    expect(frameworkOn('2013-10-31')).toBe('earlier');
    expect(frameworkOn('2013-11-01')).toBe('sif');
    expect(frameworkOn('2017-12-31')).toBe('sif');
    expect(frameworkOn('2018-01-01')).toBe('ilacs');
    expect(frameworkOn('March 2018')).toBeUndefined();
    expect(FRAMEWORKS).toEqual(['earlier', 'sif', 'ilacs']);
  });
});

/**
 * project.qdpx, the REFI-QDA project: project.qde valid against the standard's schema (Debian's
 * xmllint), every coded selection cutting out exactly its sentence from the source text in the
 * zip, codes and cases that agree with the CSVs, and the same bytes on a second run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import { safeCell } from '../src/export/csv.js';
import { contentGuid } from '../src/export/qdpx.js';
import { loadCodebook } from '../src/theme/codebook.js';
import { withoutShared } from './helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli.js');
const XSD = resolve('../shared/reference/refi-qda/Project-mrt2019.xsd');
const LA_LOOKUP = resolve('../shared/reference/la_lookup.csv');
const codebook = loadCodebook(resolve('codebook/codebook.json'));
type Row = Record<string, string>;
const readCsv = (p: string) => Papa.parse<Row>(readFileSync(p, 'utf8'), { header: true, skipEmptyLines: true }).data;

/** The attributes of each `<tag ...>` start tag in xml, in document order (values unescaped). */
function startTags(xml: string, tag: string): Record<string, string>[] {
  const unescape = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
  return [...xml.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))].map((m) => Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, unescape(a[2]!)])));
}

/** The elements `<tag ...>...</tag>` of xml (not nested in one another), as their whole text. */
function elements(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}\\b[^>]*>[\\s\\S]*?</${tag}>`, 'g'))].map((m) => m[0]);
}

describe.skipIf(withoutShared(XSD))('project.qdpx (REFI-QDA)', () => {
  let out: string;
  let files: Record<string, Uint8Array>;
  let qde: string;
  let sentences: Row[];

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'it-qdpx-'));
    execFileSync(process.execPath, [CLI, 'run', 'corpus', '--out', out, '--no-cache', '--quiet', '--focus', 'Hampshire', '--peers', LA_LOOKUP]);
    files = unzipSync(readFileSync(join(out, 'project.qdpx')));
    qde = strFromU8(files['project.qde']!);
    sentences = readCsv(join(out, 'sentences.csv'));
  });

  it('holds project.qde, valid against the REFI-QDA Project schema (xmllint), and one text file per document', () => {
    const path = join(out, 'project.qde');
    writeFileSync(path, files['project.qde']!);
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD, path], { encoding: 'utf8' });
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
    const docs = [...new Set(sentences.map((s) => s.doc))];
    const sources = startTags(qde, 'TextSource');
    expect(sources.map((s) => s.name)).toEqual(docs);
    for (const s of sources) {
      expect(s.plainTextPath).toBe(`internal://${s.guid}.txt`);
      expect(files[`Sources/${s.guid}.txt`], s.name).toBeDefined();
    }
    expect(Object.keys(files).sort()).toEqual(['project.qde', ...sources.map((s) => `Sources/${s.guid}.txt`)].sort());
  });

  it("codes every evaluative sentence at exactly its characters in its source text, as sentences.csv gives them", () => {
    const bySentence = new Map(sentences.map((s) => [s.sentence_id, s]));
    let checked = 0;
    for (const source of elements(qde, 'TextSource')) {
      const { guid, name } = startTags(source, 'TextSource')[0]!;
      const text = [...strFromU8(files[`Sources/${guid}.txt`]!)];
      const selections = startTags(source, 'PlainTextSelection');
      const evaluative = sentences.filter((s) => s.doc === name && s.label !== 'neutral').map((s) => s.sentence_id);
      expect(selections.map((s) => s.name)).toEqual(evaluative);
      for (const sel of selections) {
        const row = bySentence.get(sel.name!)!;
        const start = Number(sel.startPosition);
        const end = Number(sel.endPosition);
        expect([start, end]).toEqual([Number(row.char_start), Number(row.char_end)]);
        const cut = text.slice(start, end).join('');
        expect(safeCell(cut), sel.name).toBe(row.text);
        checked++;
      }
      // Neutral sentences are in the text too, each at its own place.
      for (const row of sentences.filter((s) => s.doc === name)) expect(safeCell(text.slice(Number(row.char_start), Number(row.char_end)).join(''))).toBe(row.text);
    }
    expect(checked).toBe(sentences.filter((s) => s.label !== 'neutral').length);
    expect(checked).toBeGreaterThan(100);
  });

  it("codes each selection with its label and its themes, under the codebook's categories, with its evidence as a note", () => {
    const labelNames: Record<string, string> = { strength: 'Strength', improvement: 'Area for improvement', mixed: 'Mixed' };
    const codeName = new Map(startTags(qde, 'Code').map((c) => [c.guid!, c.name!]));
    for (const t of codebook.themes) expect(codeName.get(contentGuid('code', 'theme', t.id))).toBe(t.name);
    const themeByCode = new Map(codebook.themes.map((t) => [contentGuid('code', 'theme', t.id), t.id]));
    const themesOf = new Map<string, string[]>();
    for (const r of readCsv(join(out, 'sentence_themes.csv'))) themesOf.set(r.sentence_id!, [...(themesOf.get(r.sentence_id!) ?? []), r.theme!]);
    const notes = new Map(elements(qde, 'Note').map((n) => [startTags(n, 'Note')[0]!.guid!, n]));
    const bySentence = new Map(sentences.map((s) => [s.sentence_id, s]));
    for (const sel of elements(qde, 'PlainTextSelection')) {
      const id = startTags(sel, 'PlainTextSelection')[0]!.name!;
      const row = bySentence.get(id)!;
      const codes = startTags(sel, 'CodeRef').map((c) => c.targetGUID!);
      expect(codeName.get(codes[0]!), id).toBe(labelNames[row.label!]);
      expect(codes.slice(1).map((c) => themeByCode.get(c))).toEqual(themesOf.get(id) ?? []);
      const noteRefs = new Set(startTags(sel, 'NoteRef').map((n) => n.targetGUID!));
      expect(noteRefs.size).toBe(1);
      const note = notes.get([...noteRefs][0]!)!;
      expect(note).toContain(`sentence ${id}`);
      expect(note).toContain(labelNames[row.label!]);
    }
    // The categories hold their themes: a matrix by category in the QDA tool sums its themes.
    for (const c of codebook.categories) {
      const category = elements(qde, 'Code').find((e) => e.startsWith(`<Code guid="${contentGuid('code', 'category', c.id)}"`));
      expect(category, c.id).toBeDefined();
    }
  });

  it('makes each council a case holding its documents, with variables for councils and documents', () => {
    const docs = readCsv(join(out, 'documents.csv'));
    const sourceGuid = new Map(startTags(qde, 'TextSource').map((s) => [s.name!, s.guid!]));
    const variable = new Map(startTags(qde, 'Variable').map((v) => [v.guid!, v]));
    /** Variable name -> [value element, value] of a case or source. */
    const valuesOf = (el: string) => new Map([...el.matchAll(/<VariableValue><VariableRef targetGUID="([^"]+)"\/><(\w+)>([^<]*)<\/\2><\/VariableValue>/g)].map((m) => [variable.get(m[1]!)!.name!, m[3]!]));
    const typesOf = (el: string) => new Map([...el.matchAll(/<VariableValue><VariableRef targetGUID="([^"]+)"\/><(\w+)>/g)].map((m) => [variable.get(m[1]!)!.name!, m[2]!]));
    const cases = elements(qde, 'Case');
    expect(cases.map((c) => startTags(c, 'Case')[0]!.name)).toEqual([...new Set(docs.map((d) => d.council))].sort());
    for (const c of cases) {
      const council = startTags(c, 'Case')[0]!.name!;
      const held = startTags(c, 'SourceRef').map((s) => s.targetGUID);
      expect(held).toEqual(docs.filter((d) => d.council === council).map((d) => sourceGuid.get(d.doc!)));
      const values = valuesOf(c);
      expect(values.get('ONS code')).toBe(docs.find((d) => d.council === council)!.ons_code);
      expect(values.get('Focus council')).toBe(String(council === 'Hampshire'));
    }
    // Each document's variables: its type and date, typed as the schema's date where it has one.
    for (const source of elements(qde, 'TextSource')) {
      const name = startTags(source, 'TextSource')[0]!.name!;
      const d = docs.find((r) => r.doc === name)!;
      const values = valuesOf(source);
      expect(values.get('Council')).toBe(d.council);
      expect(values.get('Document type')).toBe(d.document_type);
      expect(values.get('Document date')).toBe(d.date || undefined);
      if (d.date) expect(typesOf(source).get('Document date')).toBe('DateValue');
      expect(values.get('In comparison window')).toBe(d.in_window);
      expect(typesOf(source).get('In comparison window')).toBe('BooleanValue');
    }
  });

  it('is byte-identical on a second run', () => {
    const again = mkdtempSync(join(tmpdir(), 'it-qdpx-again-'));
    execFileSync(process.execPath, [CLI, 'run', 'corpus', '--out', again, '--no-cache', '--quiet', '--focus', 'Hampshire', '--peers', LA_LOOKUP]);
    expect(readFileSync(join(again, 'project.qdpx')).equals(readFileSync(join(out, 'project.qdpx')))).toBe(true);
  });
});

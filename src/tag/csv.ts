/**
 * `inspection-themes tag`: label a CSV of sentences (`id,text[,section]`) that analysts already
 * have in a spreadsheet. Rows are treated as one document, in order.
 */
import Papa from 'papaparse';
import { makeSentence } from '../segment/sentence.js';
import type { Finding, Sentence } from '../types.js';
import { UserError } from '../util/errors.js';
import { tagSentences } from './index.js';

export const TAG_CSV_COLUMNS = ['id', 'text', 'section', 'label', 'code', 'confidence', 'evidence', 'clauses'] as const;

/** Section cell -> heading path ("What needs to improve" or "Outer > Inner"). */
function sectionPath(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(/\s+>\s+/)
    .map((h) => h.trim())
    .filter(Boolean);
}

/** Parse the input CSV into Sentence records; throws UserError (one line) on bad input. */
export function parseSentenceCsv(csv: string, source = 'input'): Sentence[] {
  const text = csv.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new UserError(`${source}: empty CSV (expected a header row id,text[,section])`);
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim().toLowerCase() });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('id') || !fields.includes('text')) {
    throw new UserError(`${source}: CSV needs columns id and text (optional section); found ${fields.map((f) => JSON.stringify(f)).join(', ') || 'none'}`);
  }
  const bad = parsed.errors.find((e) => e.type !== 'FieldMismatch' || e.code === 'TooManyFields');
  if (bad) throw new UserError(`${source}: malformed CSV at row ${(bad.row ?? 0) + 2}: ${bad.message}`);
  const seen = new Set<string>();
  return parsed.data.map((row, index) => {
    const id = (row.id ?? '').trim();
    const t = (row.text ?? '').trim();
    if (!id) throw new UserError(`${source}: row ${index + 2} has no id`);
    if (seen.has(id)) throw new UserError(`${source}: duplicate id ${JSON.stringify(id)} at row ${index + 2}`);
    seen.add(id);
    return makeSentence({ id, doc: source, index, text: t, sectionPath: sectionPath(row.section) });
  });
}

const evidenceText = (f: Finding) => f.evidence.map((e) => `${e.kind}:${e.value}->${e.points}(${e.weight})`).join('; ');
const clauseText = (f: Finding) => (f.clauses.length > 1 ? f.clauses.map((c) => `${c.label}: ${c.text}`).join(' | ') : '');

/** Tag a CSV of sentences and return the output CSV (input order, one row per sentence). */
export function tagCsv(csv: string, source = 'input'): string {
  const findings = tagSentences(parseSentenceCsv(csv, source));
  const rows = findings.map((f) => [f.id, f.text, f.sectionPath.join(' > '), f.label, f.code, f.confidence.toFixed(3), evidenceText(f), clauseText(f)]);
  return Papa.unparse({ fields: [...TAG_CSV_COLUMNS], data: rows }, { newline: '\n', escapeFormulae: true }) + '\n';
}

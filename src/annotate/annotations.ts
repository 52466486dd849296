/**
 * A researcher's own coding, as a CSV: the rows of `sentences.csv` with the label and themes
 * corrected, or any CSV with these columns:
 *   - `sentence_id` (as in sentences.csv, `<doc>#<index>`) and/or `text` (the sentence): which sentence;
 *   - `doc` (optional): the document, to restrict a text match to it;
 *   - `section` (optional): the heading path, `A > B` (used when training);
 *   - `label`: S / I / M / N, or strength / improvement / mixed / neutral;
 *   - `themes` (optional): theme ids joined by `;` (empty for N). A row without the column keeps the
 *     themes the tool gives.
 * Used by `train --annotations` (added to the training data) and `run --overrides` (forced in every
 * output). A bad file is refused with the line and the fix.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { LabelCode } from '../types.js';
import { LABEL_CODES, LABEL_TO_CODE } from '../types.js';
import { editDistance } from '../util/distance.js';
import { UserError } from '../util/errors.js';

export interface Annotation {
  /** Line in the file (1 = header). */
  line: number;
  sentenceId?: string;
  doc?: string;
  text?: string;
  sectionPath: string[];
  code: LabelCode;
  /** Theme ids; undefined when the file has no themes column. */
  themes?: string[];
}

export interface AnnotationFile {
  path: string;
  sha256: string;
  rows: Annotation[];
}

/** Text as compared between an annotation and a sentence: case, spacing and quotes folded. */
export function normaliseText(t: string): string {
  return t
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

function parseLabel(raw: string): LabelCode | undefined {
  const v = raw.trim();
  if ((LABEL_CODES as readonly string[]).includes(v.toUpperCase())) return v.toUpperCase() as LabelCode;
  return (LABEL_TO_CODE as Record<string, LabelCode>)[v.toLowerCase()];
}

/**
 * Parse and check an annotations file. `themeIds` are the codebook's theme ids (a theme the
 * codebook does not know is refused, with the closest id suggested).
 */
export function parseAnnotations(csv: string, path: string, themeIds: readonly string[]): Omit<AnnotationFile, 'sha256'> {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: false, transformHeader: (h) => h.trim().toLowerCase() });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('label')) throw new UserError(`${path}: no "label" column (columns: ${fields.join(', ') || 'none'}); give sentence_id or text, label and themes`);
  if (!fields.includes('sentence_id') && !fields.includes('text')) throw new UserError(`${path}: needs a "sentence_id" or a "text" column to say which sentence each label is for`);
  const known = new Set(themeIds);
  const rows: Annotation[] = [];
  // The header is line 1; a quoted field with line breaks spans several lines.
  const lines: number[] = [];
  let next = 2;
  for (const r of parsed.data) {
    lines.push(next);
    next += 1 + Object.values(r).reduce((n, v) => n + (typeof v === 'string' ? (v.match(/\n/g)?.length ?? 0) : 0), 0);
  }
  for (const err of parsed.errors) {
    if (err.type === 'Quotes') throw new UserError(`${path}: line ${lines[err.row ?? 0] ?? 2}: ${err.message} (a quoted field is not closed)`);
  }
  parsed.data.forEach((r, k) => {
    if (Object.values(r).every((v) => !v || !String(v).trim())) return; // blank line
    const line = lines[k]!;
    const where = `${path}: line ${line}`;
    const sentenceId = r.sentence_id?.trim() || undefined;
    const text = r.text?.trim() || undefined;
    if (!sentenceId && !text) throw new UserError(`${where}: neither sentence_id nor text is given`);
    const code = parseLabel(r.label ?? '');
    if (!code) throw new UserError(`${where}: label "${r.label ?? ''}" is not one of S, I, M, N (or strength, improvement, mixed, neutral)`);
    let themes: string[] | undefined;
    if (fields.includes('themes')) {
      themes = (r.themes ?? '')
        .split(/[;,]/)
        .map((t) => t.trim())
        .filter(Boolean);
      for (const t of themes) if (!known.has(t)) throw new UserError(`${where}: unknown theme "${t}"${suggest(t, themeIds)}`);
      if (code === 'N' && themes.length) throw new UserError(`${where}: a neutral (N) sentence takes no themes; remove them or change the label`);
    }
    rows.push({ line, sentenceId, doc: r.doc?.trim() || undefined, text, sectionPath: (r.section ?? '').split(' > ').map((s) => s.trim()).filter(Boolean), code, themes });
  });
  if (rows.length === 0) throw new UserError(`${path}: no annotation rows`);
  return { path, rows };
}

function suggest(t: string, ids: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const id of ids) {
    const d = editDistance(t.toLowerCase(), id);
    if (d < bestD) {
      bestD = d;
      best = id;
    }
  }
  return best && bestD <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean ${best}?)` : ' (see the codebook for theme ids)';
}

export function readAnnotations(path: string, themeIds: readonly string[]): AnnotationFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read annotations file ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { ...parseAnnotations(bytes.toString('utf8'), path, themeIds), sha256: createHash('sha256').update(bytes).digest('hex') };
}

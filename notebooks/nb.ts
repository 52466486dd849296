/**
 * Display helpers for the Deno notebooks in this folder.
 *
 * Presentation only: every number shown comes from the project's library
 * (../dist/src/index.js) or from the files a pipeline run wrote. Nothing here
 * re-implements a pipeline stage. Missing files throw, so a notebook cell fails
 * loudly instead of showing a half-empty page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';

/** The Vega-Lite media type JupyterLab, Notebook 7 and VS Code render. */
export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';

/** Repository root, from the notebooks folder (the kernel's working directory). */
export const REPO_ROOT = resolve(Deno.cwd(), '..');

/** Absolute path of a file that a run wrote into `outDir`; throws when it is not there. */
export function outputFile(outDir: string, name: string): string {
  const path = join(outDir, name);
  if (!existsSync(path)) throw new Error(`expected output file is missing: ${path}`);
  return path;
}

/** Read a JSON file a run wrote. */
export function readJson<T = unknown>(outDir: string, name: string): T {
  return JSON.parse(readFileSync(outputFile(outDir, name), 'utf8')) as T;
}

/**
 * Read a CSV file a run wrote (header row -> object keys); throws on a malformed file
 * or when one of `columns` is not in its header.
 */
export function readCsv(outDir: string, name: string, columns: string[] = []): Record<string, string>[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(outputFile(outDir, name), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  if (parsed.errors.length) throw new Error(`${name}: ${parsed.errors[0].message} (row ${parsed.errors[0].row})`);
  const missing = columns.filter((c) => !parsed.meta.fields?.includes(c));
  if (missing.length) throw new Error(`${name} has no column ${missing.join(', ')} (columns: ${parsed.meta.fields?.join(', ')})`);
  return parsed.data;
}

/**
 * Show a line of text as a display output. Unlike console.log, whose output the Deno
 * kernel forwards asynchronously (a headless run can miss it), a display is sent
 * before the cell finishes.
 */
export async function say(...parts: unknown[]): Promise<void> {
  const text = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  await Deno.jupyter.display({ 'text/plain': text }, { raw: true });
}

/** Show a Vega-Lite spec as an interactive chart (with a text fallback naming it). */
export async function showChart(spec: Record<string, unknown>): Promise<void> {
  const title = typeof spec.title === 'string' ? spec.title : ((spec.title as { text?: string } | undefined)?.text ?? 'chart');
  await Deno.jupyter.display({ [VEGA_LITE_MIME]: spec, 'text/plain': `[Vega-Lite chart] ${title}` }, { raw: true });
}

/** Show the chart a run wrote to `charts/<name>.vl.json`. */
export async function showChartFile(outDir: string, name: string): Promise<void> {
  await showChart(readJson<Record<string, unknown>>(outDir, `charts/${name}.vl.json`));
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface TableOptions {
  /** Columns to show, in order (default: keys of the first row). */
  columns?: string[];
  /** Show at most this many rows (default 50); the caption says how many were left out. */
  limit?: number;
  caption?: string;
}

type Cell = string | number | boolean | null | undefined;

function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  return String(v);
}

/** Show rows as an HTML table (and a tab-separated text fallback). Throws when there are no rows. */
export async function showTable(rows: Record<string, Cell>[], opts: TableOptions = {}): Promise<void> {
  if (!rows.length) throw new Error(`no rows to show${opts.caption ? ` for "${opts.caption}"` : ''}`);
  const columns = opts.columns ?? Object.keys(rows[0]);
  const limit = opts.limit ?? 50;
  const shown = rows.slice(0, limit);
  const more = rows.length - shown.length;
  const caption = [opts.caption ?? '', more > 0 ? `(first ${shown.length} of ${rows.length} rows)` : `(${rows.length} rows)`]
    .filter(Boolean)
    .join(' ');
  const html = [
    '<table class="nb-table">',
    `<caption style="caption-side: top; text-align: left">${esc(caption)}</caption>`,
    '<thead><tr>' + columns.map((c) => `<th style="text-align: left">${esc(c)}</th>`).join('') + '</tr></thead>',
    '<tbody>',
    ...shown.map((r) => '<tr>' + columns.map((c) => `<td style="text-align: left">${esc(cellText(r[c]))}</td>`).join('') + '</tr>'),
    '</tbody></table>',
  ].join('\n');
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const text = [caption, columns.join('\t'), ...shown.map((r) => columns.map((c) => flat(cellText(r[c]))).join('\t'))].join('\n');
  await Deno.jupyter.display({ 'text/html': html, 'text/plain': text }, { raw: true });
}

import type { Dirent } from 'node:fs';
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { extname, join, posix, resolve } from 'node:path';
import Papa from 'papaparse';
import type { SourceFile, SourceFormat } from '../types.js';
import { asDocumentType, DOCUMENT_TYPES } from '../vocab/documents.js';
import { UserError } from '../util/errors.js';
import { isInside } from '../util/fs.js';
import { editDistance } from '../util/distance.js';
import { layoutMetadata } from './layout.js';

export const SUPPORTED_EXTENSIONS: Readonly<Record<string, SourceFormat>> = {
  '.pdf': 'pdf',
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
};

/**
 * Manifest columns the pipeline knows. Other columns are passed through as extra metadata
 * (with a warning); a column name one or two letters away from a known one is an error,
 * since the typo would silently lose that metadata.
 */
export const KNOWN_MANIFEST_COLUMNS: readonly string[] = [
  'file',
  'local_authority',
  'council',
  'ons_code',
  'region',
  'date',
  'published',
  'inspection_date',
  'document_type',
  'ofsted_urn',
  'urn',
  'source',
  'url',
  'title',
  'notes',
  'overall_grade',
];
/** Columns holding dates: must be YYYY-MM-DD (or empty). */
export const DATE_COLUMNS: readonly string[] = ['date', 'published', 'inspection_date'];
export { DOCUMENT_TYPES };

export interface CorpusListing {
  dir: string;
  files: SourceFile[];
  /** Files present in the folder that are not of a supported format (reported, not read). */
  unsupported: string[];
  /** Entries that are not read: links that lead nowhere or out of the folder, FIFOs, sockets (reported as skipped). */
  refused: RefusedEntry[];
  /** Problems with the manifest that do not stop the run (each names its line). */
  manifestWarnings: string[];
}

/** A folder entry that is not read, with the skip code and reason reported for it. */
export interface RefusedEntry {
  file: string;
  code: 'unreadable' | 'outside_corpus';
  reason: string;
}

export interface DiscoverOptions {
  /** Read files that symbolic links lead to outside the corpus folder (default: refused, like `../` in the manifest). */
  followSymlinks?: boolean;
  /** Folders not to look into, wherever they are (the run's output and cache folders). */
  exclude?: string[];
}

function entryKind(d: Dirent): string {
  if (d.isFIFO()) return 'a FIFO';
  if (d.isSocket()) return 'a socket';
  if (d.isCharacterDevice() || d.isBlockDevice()) return 'a device';
  return 'not a file';
}

/** What to do with a symbolic link in the corpus folder: read it, pass it over like a subfolder, or refuse it (why). */
async function checkLink(path: string, realDir: string, followOutside: boolean): Promise<'read' | 'folder' | Omit<RefusedEntry, 'file'>> {
  let target: string;
  try {
    target = await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const to = await readlink(path).catch(() => '?');
    if (code === 'ELOOP') return { code: 'unreadable', reason: `a symbolic link loop (${to})` };
    return { code: 'unreadable', reason: `a symbolic link to ${to}, which does not exist` };
  }
  const st = await stat(target).catch(() => undefined);
  if (!st) return { code: 'unreadable', reason: `a symbolic link to ${target}, which cannot be read` };
  if (st.isDirectory()) return 'folder';
  if (!st.isFile()) return { code: 'unreadable', reason: `a symbolic link to ${target}, which is not a regular file` };
  if (!followOutside && !isInside(realDir, target)) {
    return { code: 'outside_corpus', reason: `a symbolic link to ${target}, outside the corpus folder; copy the file in, or use --follow-symlinks` };
  }
  return 'read';
}

/** List the supported documents of a corpus folder (and its subfolders) and attach their manifest rows. */
export async function discoverCorpus(dirArg: string, opts: DiscoverOptions = {}): Promise<CorpusListing> {
  const dir = resolve(dirArg);
  let st;
  try {
    st = await stat(dir);
  } catch {
    throw new UserError(`corpus folder not found: ${dirArg}`);
  }
  if (!st.isDirectory()) throw new UserError(`not a folder: ${dirArg}`);
  const names: string[] = [];
  const refused: RefusedEntry[] = [];
  /** Subfolders not looked into (hidden; the run's output or cache folder), named when nothing else is found. */
  const passedOver: string[] = [];
  const realDir = await realpath(dir);
  const excluded = new Set(await Promise.all((opts.exclude ?? []).map((p) => realpath(resolve(p)).catch(() => resolve(p)))));
  // Depth first, each folder's entries in name order: ids are relative POSIX paths, sorted below.
  const walk = async (rel: string): Promise<void> => {
    const abs = rel ? join(dir, rel) : dir;
    const entries = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of entries) {
      // Hidden files and folders (.git, .DS_Store, the cache's own dot-folders) are not documents.
      const name = rel ? `${rel}/${d.name}` : d.name;
      if (d.name.startsWith('.')) {
        if (d.isDirectory()) passedOver.push(`${name}/ (hidden)`);
        continue;
      }
      if (d.isFile()) names.push(name);
      else if (d.isDirectory()) {
        if (!excluded.has(await realpath(join(abs, d.name)).catch(() => join(abs, d.name)))) await walk(name);
        else passedOver.push(`${name}/ (this run's output or cache folder)`);
      } else if (d.isSymbolicLink()) {
        const what = await checkLink(join(abs, d.name), realDir, opts.followSymlinks === true);
        if (what === 'read') names.push(name);
        else if (what === 'folder') refused.push({ file: name, code: 'unreadable', reason: 'a symbolic link to a folder; linked folders are not followed (copy or move the folder in)' });
        else refused.push({ file: name, ...what });
      } else {
        refused.push({ file: name, code: 'unreadable', reason: `not a regular file (${entryKind(d)}); only files are read` });
      }
    }
  };
  await walk('');
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  refused.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const skippedNote = passedOver.length ? `; not looked into: ${passedOver.slice(0, 3).join(', ')}${passedOver.length > 3 ? ` and ${passedOver.length - 3} more` : ''}` : '';
  if (names.length === 0 && refused.length === 0) throw new UserError(`corpus folder is empty: ${dirArg}${skippedNote}`);
  // The manifest is the corpus folder's own (a subfolder's manifest.csv is just a file, not read).
  const manifestName = names.find((n) => n.toLowerCase() === 'manifest.csv');
  const manifest = manifestName ? await readManifest(join(dir, manifestName), manifestName) : { rows: new Map<string, ManifestRow>(), warnings: [] };
  const files: SourceFile[] = [];
  const unsupported: string[] = [];
  for (const name of names) {
    if (name === manifestName) continue;
    const format = SUPPORTED_EXTENSIONS[extname(name).toLowerCase()];
    if (!format) {
      unsupported.push(name);
      continue;
    }
    const layout = layoutMetadata(name);
    files.push({ file: name, path: join(dir, ...name.split('/')), format, manifest: manifest.rows.get(name)?.values, ...(layout ? { layout } : {}) });
  }
  if (files.length === 0 && refused.length === 0) {
    throw new UserError(
      `no supported documents in ${dirArg} (looked for ${Object.keys(SUPPORTED_EXTENSIONS).join(', ')}${skippedNote})`,
    );
  }
  const present = new Set(files.map((f) => f.file));
  const manifestWarnings = [...manifest.warnings];
  for (const [name, row] of manifest.rows) {
    if (!present.has(name)) {
      manifestWarnings.push(
        `${manifestName} line ${row.line}: names ${name}, which is not ${unsupported.includes(name) ? 'a supported document' : 'in the corpus folder'}`,
      );
    }
  }
  return { dir, files, unsupported, refused, manifestWarnings };
}

export interface ManifestRow {
  /** 1-based line of the row in the manifest file. */
  line: number;
  values: Record<string, string>;
}

function isIsoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * Normalise a manifest `file` cell to a name relative to the corpus folder, or return the
 * reason it is refused (absolute paths and paths that climb out of the folder).
 */
export function manifestFileName(cell: string): { name: string } | { refused: string } {
  const raw = cell.replace(/\\/g, '/');
  if (raw.startsWith('/') || /^[A-Za-z]:\//.test(raw) || /^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    return { refused: `file ${cell} is an absolute path or URL; give a name relative to the corpus folder` };
  }
  const name = posix.normalize(raw);
  if (name === '..' || name.startsWith('../') || name.split('/').includes('..')) {
    return { refused: `file ${cell} is outside the corpus folder (paths outside the folder are refused)` };
  }
  if (name === '.' || name === '') return { refused: 'empty file name' };
  return { name };
}

/** Read and validate manifest.csv. Fatal problems throw one UserError listing each by line. */
export async function readManifest(path: string, label = 'manifest.csv'): Promise<{ rows: Map<string, ManifestRow>; warnings: string[] }> {
  let text: string;
  try {
    // Normalise line ends: a manifest edited by hand may mix CRLF and LF, which confuses the parser.
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  } catch (err) {
    throw new UserError(`cannot read ${label}: ${(err as Error).message}`);
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  // Line number where each record starts (records may span lines inside quotes).
  const records: { fields: string[]; line: number }[] = [];
  const lineStarts: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lineStarts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  let cursor = 0;
  Papa.parse<string[]>(text, {
    header: false,
    delimiter: ',',
    newline: '\n',
    skipEmptyLines: false,
    step: (res) => {
      let start = cursor;
      while (text[start] === '\r' || text[start] === '\n') start++;
      const line = lineOf(start);
      cursor = res.meta.cursor;
      for (const e of res.errors) errors.push(`line ${line}: ${e.message}`);
      if (res.data.every((c) => c.trim() === '')) return;
      records.push({ fields: res.data.map((c) => c.trim()), line });
    },
  });
  const rows = new Map<string, ManifestRow>();
  if (records.length === 0) throw new UserError(`${label} is empty (expected a header line with a 'file' column)`);
  const header = records[0].fields;
  const fileCol = header.indexOf('file');
  if (fileCol < 0) {
    throw new UserError(`${label} line ${records[0].line}: no 'file' column (header is: ${header.join(',')})`);
  }
  const seenCols = new Map<string, number>();
  header.forEach((col, i) => {
    if (col === '') errors.push(`line ${records[0].line}: column ${i + 1} has no name`);
    else if (seenCols.has(col)) errors.push(`line ${records[0].line}: column '${col}' appears twice`);
    seenCols.set(col, i);
    if (!col || KNOWN_MANIFEST_COLUMNS.includes(col)) return;
    const near = KNOWN_MANIFEST_COLUMNS.map((k) => [k, editDistance(col.toLowerCase(), k)] as const)
      .filter(([k, dd]) => dd <= (k.length <= 6 ? 1 : 2))
      .sort((a, b) => a[1] - b[1])[0];
    if (near) errors.push(`line ${records[0].line}: unknown column '${col}' (did you mean '${near[0]}'?)`);
    else warnings.push(`${label} line ${records[0].line}: unknown column '${col}' (kept as extra metadata; known columns: ${KNOWN_MANIFEST_COLUMNS.join(', ')})`);
  });
  for (const rec of records.slice(1)) {
    const { fields, line } = rec;
    if (fields.length !== header.length) {
      errors.push(`line ${line}: ${fields.length} fields, but the header has ${header.length}`);
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((col, i) => {
      if (col) values[col] = fields[i];
    });
    const cell = values.file;
    if (!cell) {
      errors.push(`line ${line}: empty 'file' cell`);
      continue;
    }
    const fname = manifestFileName(cell);
    if ('refused' in fname) {
      errors.push(`line ${line}: ${fname.refused}`);
      continue;
    }
    values.file = fname.name;
    for (const col of DATE_COLUMNS) {
      const v = values[col];
      if (v && !isIsoDate(v)) errors.push(`line ${line}: bad date '${v}' in column '${col}' (expected YYYY-MM-DD)`);
    }
    const dt = values.document_type;
    // The spellings metadata reads ("Focused visit", "focused-visit") are accepted; anything else is refused here.
    if (dt && !asDocumentType(dt)) {
      errors.push(`line ${line}: unknown document_type '${dt}' (one of ${DOCUMENT_TYPES.join(', ')})`);
    }
    const prev = rows.get(fname.name);
    if (prev) {
      errors.push(`line ${line}: duplicate file ${fname.name} (already on line ${prev.line})`);
      continue;
    }
    rows.set(fname.name, { line, values });
  }
  if (errors.length) {
    const shown = errors.slice(0, 20);
    const more = errors.length > shown.length ? `\n  ... and ${errors.length - shown.length} more` : '';
    throw new UserError(`bad manifest ${path}:\n  ${shown.join('\n  ')}${more}`);
  }
  return { rows, warnings };
}

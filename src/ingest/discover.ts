import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { SourceFile, SourceFormat } from '../types.js';
import { UserError } from '../util/errors.js';

export const SUPPORTED_EXTENSIONS: Readonly<Record<string, SourceFormat>> = {
  '.pdf': 'pdf',
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
};

export interface CorpusListing {
  dir: string;
  files: SourceFile[];
  /** Files present in the folder that are not of a supported format (reported, not read). */
  unsupported: string[];
  /** Problems with the manifest (each names its line). */
  manifestWarnings: string[];
}

/** List the supported documents of a corpus folder and attach their manifest rows. */
export async function discoverCorpus(dirArg: string): Promise<CorpusListing> {
  const dir = resolve(dirArg);
  let st;
  try {
    st = await stat(dir);
  } catch {
    throw new UserError(`corpus folder not found: ${dirArg}`);
  }
  if (!st.isDirectory()) throw new UserError(`not a folder: ${dirArg}`);
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isFile() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
  if (names.length === 0) throw new UserError(`corpus folder is empty: ${dirArg}`);
  const manifestName = names.find((n) => n.toLowerCase() === 'manifest.csv');
  const manifest = manifestName ? await readManifest(join(dir, manifestName)) : new Map<string, Record<string, string>>();
  const files: SourceFile[] = [];
  const unsupported: string[] = [];
  for (const name of names) {
    if (name === manifestName) continue;
    const format = SUPPORTED_EXTENSIONS[extname(name).toLowerCase()];
    if (!format) {
      unsupported.push(name);
      continue;
    }
    files.push({ file: name, path: join(dir, name), format, manifest: manifest.get(name) });
  }
  if (files.length === 0) {
    throw new UserError(
      `no supported documents in ${dirArg} (looked for ${Object.keys(SUPPORTED_EXTENSIONS).join(', ')})`,
    );
  }
  const manifestWarnings: string[] = [];
  for (const name of manifest.keys()) {
    if (!files.some((f) => f.file === name)) manifestWarnings.push(`manifest.csv names ${name}, which is not in the folder`);
  }
  return { dir, files, unsupported, manifestWarnings };
}

async function readManifest(path: string): Promise<Map<string, Record<string, string>>> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const rows = new Map<string, Record<string, string>>();
  for (const row of parsed.data) {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) clean[k.trim()] = (v ?? '').trim();
    if (clean.file) rows.set(clean.file, clean);
  }
  return rows;
}

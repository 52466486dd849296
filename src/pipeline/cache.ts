/**
 * Incremental cache, in three layers:
 *
 *   extract/   the ingested + segmented document (after the sentence limit), or the reason it
 *              was skipped. Key: CACHE_VERSION + the code of ingest/segment and every module they
 *              import (with the installed versions of pdfjs-dist, iconv-lite and entities) +
 *              sha256(the bytes parsed) + file name + format + manifest row + limits.
 *   analysed/  the tagged + themed document. Key: the extract key + codebook hash + the code of
 *              tag/theme and what they import + the files in models/ and data/.
 *   outputs/   the written files of a run. Key: the analysed keys + codebook + all code + writer
 *              options; each file's size and SHA-256 are checked when it is restored.
 *
 * Changing the codebook therefore re-themes from the extract layer without reading PDFs again.
 * Entries are v8-serialised (the same structured clone the worker pool uses) and written
 * atomically (temp file + rename), so concurrent runs can share a cache folder.
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { AnalysedDocument, SegmentedDocument, SkipCode, SourceFile } from '../types.js';
import { writeFileAtomic } from '../util/fs.js';
import { REPO_ROOT, SRC_ROOT } from '../util/paths.js';
import type { LimitHit, Limits } from '../limits.js';
import { DEFAULT_PDF_ENGINE, type PdfEngine } from '../ingest/pdf.js';
import { pidAlive } from './lock.js';
import { fileSha256, type WrittenFile } from './output.js';

/** Bump to invalidate every cache entry (e.g. when the entry format changes). */
export const CACHE_VERSION = 1;

export const DEFAULT_CACHE_DIR = join('.cache', 'inspection-themes');

/** What the extract layer holds for one document. */
export type ExtractEntry =
  | { ok: true; doc: SegmentedDocument; limitsHit: LimitHit[] }
  | { ok: false; code: SkipCode; message: string };

/** What the analysed layer holds for one document. */
export interface AnalysedEntry {
  doc: AnalysedDocument;
  limitsHit: LimitHit[];
}


/**
 * Entry modules of each cached layer, relative to the source root: a layer's code fingerprint
 * covers these and every module they import (statically or dynamically), so a change to, say, a
 * chart re-renders the outputs without re-tagging the corpus, and a change to the tagger re-tags
 * without re-reading PDFs.
 */
export const LAYER_ENTRIES = {
  extract: ['ingest/index', 'segment/index', 'segment/long-sentences', 'limits', 'nlp/tokens', 'version'],
  analyse: ['tag/index', 'theme/index', 'theme/emerging', 'pipeline/analyse'],
} as const;

/** A relative import (`from './x.js'`, `import('../y.js')`) in a module's text. */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Resolve a module path as written (`./x.js`) to the file that exists (`x.js` built, `x.ts` in the sources). */
function moduleFile(path: string): string | undefined {
  for (const p of [path, path.replace(/\.js$/, '.ts'), `${path}.js`, `${path}.ts`]) if (existsSync(p) && statSync(p).isFile()) return p;
  return undefined;
}

/** The modules reachable from `entries` (paths without extension, relative to `root`) by relative imports. */
export function moduleClosure(root: string, entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const stack = entries.map((e) => moduleFile(join(root, e))).filter((f): f is string => f !== undefined);
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const m of readFileSync(f, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const target = moduleFile(join(dirname(f), m[1]!));
      if (target && !seen.has(target)) stack.push(target);
    }
  }
  return [...seen].sort();
}

function listCode(dir: string): string[] {
  let out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(listCode(p));
    else if (/\.(js|ts|json|txt|csv|tsv)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function hashFiles(files: string[], root: string): string {
  const h = createHash('sha256');
  for (const f of [...files].sort()) {
    h.update(relative(root, f).split(sep).join('/'));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

export interface Fingerprints {
  /** Code of ingest + segment and what they import, the gazetteer, the text extractors' versions. */
  extract: string;
  /** The extract code plus tag + theme and what they import, and the model files. */
  analyse: string;
  /** All source code, data and models (the written outputs depend on every stage). */
  outputs: string;
}

let fingerprints: Fingerprints | undefined;

/** Packages whose version changes what ingest extracts from a file. */
const EXTRACTOR_PACKAGES = ['@embedpdf/pdfium', 'pdfjs-dist', 'iconv-lite', 'entities'];

/** Packages whose version changes how sentences are tokenised, labelled and themed. */
const ANALYSER_PACKAGES = ['natural', 'compromise', 're2js'];

/** `name@version` of each text-extraction dependency, as installed (part of the extract fingerprint). */
export function extractorVersions(): string[] {
  return EXTRACTOR_PACKAGES.map((p) => `${p}@${packageVersion(p)}`);
}

/** The installed version of a package (its package.json, found above its entry point). */
function packageVersion(name: string): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    for (;;) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg)) {
        const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version?: string };
        if (json.name === name) return json.version ?? '?';
      }
      const up = dirname(dir);
      if (up === dir) return '?';
      dir = up;
    }
  } catch {
    return '?';
  }
}

/**
 * Fingerprints of the code and model files, so that any change to a stage (or a retrained
 * model) invalidates the entries it affects without anyone having to remember to bump a version.
 */
export function codeFingerprints(): Fingerprints {
  fingerprints ??= layerFingerprints(SRC_ROOT, REPO_ROOT);
  return fingerprints;
}

/** Files of data/ that only the analysing stages read. */
const ANALYSE_DATA = new Set(['lexicon.json']);

/** The three layers' fingerprints for the sources under `srcRoot` and the data and models under `repoRoot`. */
export function layerFingerprints(srcRoot: string, repoRoot: string): Fingerprints {
  const extractCode = moduleClosure(srcRoot, LAYER_ENTRIES.extract);
  const analyseCode = [...new Set([...extractCode, ...moduleClosure(srcRoot, LAYER_ENTRIES.analyse)])];
  // data/ holds the local-authority gazetteer (ingest metadata) and the tagger's lexicon (the
  // analysed layer only: editing it re-tags, it does not re-read the documents); models/ feeds the tagger.
  const data = listCode(join(repoRoot, 'data'));
  const extractData = data.filter((f) => !ANALYSE_DATA.has(basename(f)));
  const models = listCode(join(repoRoot, 'models'));
  // The text extractors are dependencies: their versions are part of the extraction's identity.
  const version = `${CACHE_VERSION}|${extractorVersions().join('|')}`;
  const analysers = ANALYSER_PACKAGES.map((p) => `${p}@${packageVersion(p)}`).join('|');
  return {
    extract: sha256(version + hashFiles(extractCode, srcRoot) + hashFiles(extractData, repoRoot)),
    analyse: sha256(version + analysers + hashFiles(analyseCode, srcRoot) + hashFiles([...data, ...models], repoRoot)),
    outputs: sha256(version + analysers + hashFiles(listCode(srcRoot), srcRoot) + hashFiles([...data, ...models], repoRoot)),
  };
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Stable JSON of an object with sorted keys (for cache keys). */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

export function extractKey(src: SourceFile, fileSha256: string, limits: Limits, fp: Fingerprints, pdfEngine: PdfEngine = DEFAULT_PDF_ENGINE): string {
  // The time budget decides whether a result is produced, never what it is (timeouts are not cached).
  const { maxSecondsPerDoc: _budget, ...content } = limits;
  const engine = src.format === 'pdf' ? pdfEngine : null;
  return sha256(stableJson({ v: CACHE_VERSION, code: fp.extract, sha: fileSha256, file: src.file, format: src.format, manifest: src.manifest ?? null, limits: content, engine }));
}

export function analysedKey(extract: string, codebookHash: string, fp: Fingerprints): string {
  return sha256(stableJson({ v: CACHE_VERSION, extract, codebook: codebookHash, code: fp.analyse }));
}

/** The cache keys of one document's content. */
export interface DocumentKeys {
  extract: string;
  analysed: string;
}

/** Both cache keys of a document, from the SHA-256 of the bytes that were (or will be) parsed. */
export function documentKeys(src: SourceFile, fileSha256: string, limits: Limits, fp: Fingerprints, codebookHash: string, pdfEngine?: PdfEngine): DocumentKeys {
  const extract = extractKey(src, fileSha256, limits, fp, pdfEngine);
  return { extract, analysed: analysedKey(extract, codebookHash, fp) };
}

/**
 * Key of a run's written outputs (CSVs, charts, HTML; not run_report.json): the analysed keys
 * of the documents in order, the codebook, the code, and the options given to the writers.
 */
export function outputsKey(docKeys: string[], codebookHash: string, fp: Fingerprints, writerOptions: unknown): string {
  return sha256(stableJson({ v: CACHE_VERSION, docs: docKeys, codebook: codebookHash, code: fp.outputs, writer: writerOptions ?? null }));
}

/** A cache folder; `null` dir = disabled (every get misses, put does nothing). */
export class DocumentCache {
  /** Set when a write failed (the run goes on without caching). */
  writeError: string | undefined;

  constructor(readonly dir: string | null) {}

  private path(layer: 'extract' | 'analysed', key: string): string {
    return join(this.dir!, `v${CACHE_VERSION}`, layer, key.slice(0, 2), `${key}.bin`);
  }

  private async get<T>(layer: 'extract' | 'analysed', key: string): Promise<T | undefined> {
    if (!this.dir) return undefined;
    let buf: Buffer;
    try {
      buf = await readFile(this.path(layer, key));
    } catch {
      return undefined;
    }
    try {
      return deserialize(buf) as T;
    } catch {
      return undefined; // a damaged entry is a miss; it is overwritten below
    }
  }

  private async put(layer: 'extract' | 'analysed', key: string, value: unknown): Promise<void> {
    if (!this.dir || this.writeError) return;
    try {
      await writeFileAtomic(this.path(layer, key), serialize(value));
    } catch (err) {
      this.writeError = `cannot write the cache in ${this.dir}: ${(err as Error).message}`;
    }
  }

  private outputsRoot(): string {
    return join(this.dir!, `v${CACHE_VERSION}`, 'outputs');
  }

  /**
   * Copy the outputs stored under `key` into `dest` and check every file against the sizes and
   * SHA-256 recorded when they were stored. Returns their descriptions, or undefined on a miss; a
   * damaged entry (a file missing, truncated or altered, a list that does not parse) is removed,
   * whatever it managed to copy is deleted again, and it counts as a miss.
   */
  async restoreOutputs(key: string, dest: string): Promise<{ files: WrittenFile[]; summary: unknown } | undefined> {
    if (!this.dir) return undefined;
    const dir = join(this.outputsRoot(), key);
    let files: WrittenFile[];
    let summary: unknown;
    try {
      files = JSON.parse(await readFile(join(dir, 'files.json'), 'utf8')) as WrittenFile[];
      if (!Array.isArray(files) || !files.every((f) => typeof f?.path === 'string' && typeof f.size === 'number' && typeof f.sha256 === 'string')) throw new Error('bad list');
      summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') await rm(dir, { recursive: true, force: true }).catch(() => {});
      return undefined;
    }
    const copied: string[] = [];
    try {
      for (const f of files) {
        const target = join(dest, f.path);
        await mkdir(dirname(target), { recursive: true });
        await copyFile(join(dir, 'files', f.path), target);
        copied.push(f.path);
        const st = await stat(target);
        if (st.size !== f.size || (await fileSha256(target)) !== f.sha256) throw new Error(`${f.path} does not match`);
      }
      return { files, summary };
    } catch {
      for (const f of copied) await rm(join(dest, f), { force: true }).catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
      return undefined;
    }
  }

  /** Store the files written in `src` under `key` (folder written aside, then renamed into place). */
  /**
   * Store the files written into `src` under `key`, with a summary (JSON) of what produced them:
   * the run report's figures, so that a run answered from this entry needs no document loaded.
   */
  async saveOutputs(key: string, src: string, files: WrittenFile[], summary: unknown): Promise<void> {
    if (!this.dir || this.writeError) return;
    const root = this.outputsRoot();
    const tmp = join(root, `.${key}.tmp-${process.pid}`);
    try {
      await rm(tmp, { recursive: true, force: true });
      await mkdir(join(tmp, 'files'), { recursive: true });
      for (const f of files) {
        await mkdir(dirname(join(tmp, 'files', f.path)), { recursive: true });
        await copyFile(join(src, f.path), join(tmp, 'files', f.path));
      }
      await writeFile(join(tmp, 'summary.json'), JSON.stringify(summary));
      await writeFile(join(tmp, 'files.json'), JSON.stringify(files));
      await rm(join(root, key), { recursive: true, force: true });
      await rename(tmp, join(root, key));
    } catch (err) {
      await rm(tmp, { recursive: true, force: true }).catch(() => {});
      this.writeError = `cannot write the cache in ${this.dir}: ${(err as Error).message}`;
    }
  }

  /**
   * Remove what killed runs left in the cache: `.KEY.tmp-PID` folders of the outputs layer and the
   * `.NAME.PID.RANDOM.tmp` files of atomic writes, when process PID is gone.
   */
  async sweep(): Promise<void> {
    if (!this.dir) return;
    const dead = (pid: string) => Number(pid) !== process.pid && !pidAlive(Number(pid));
    const clean = async (dir: string, pattern: RegExp) => {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        return;
      }
      for (const n of names) {
        const m = pattern.exec(n);
        if (m && dead(m[1]!)) await rm(join(dir, n), { recursive: true, force: true }).catch(() => {});
      }
    };
    await clean(this.outputsRoot(), /^\.[0-9a-f]+\.tmp-(\d+)$/);
    for (const layer of ['extract', 'analysed']) {
      const root = join(this.dir, `v${CACHE_VERSION}`, layer);
      let subs: string[];
      try {
        subs = await readdir(root);
      } catch {
        continue;
      }
      for (const sub of subs) await clean(join(root, sub), /^\..*\.(\d+)\.[0-9a-f]+\.tmp$/);
    }
  }

  getExtract(key: string) {
    return this.get<ExtractEntry>('extract', key);
  }
  putExtract(key: string, entry: ExtractEntry) {
    return this.put('extract', key, entry);
  }
  getAnalysed(key: string) {
    return this.get<AnalysedEntry>('analysed', key);
  }
  /** Whether an analysed entry exists (not whether it reads: getAnalysed tells). */
  async hasAnalysed(key: string): Promise<boolean> {
    if (!this.dir) return false;
    try {
      return (await stat(this.path('analysed', key))).isFile();
    } catch {
      return false;
    }
  }
  /** getAnalysed, synchronously (RunResult.aggregates of a run answered by the outputs layer). */
  getAnalysedSync(key: string): AnalysedEntry | undefined {
    if (!this.dir) return undefined;
    try {
      return deserialize(readFileSync(this.path('analysed', key))) as AnalysedEntry;
    } catch {
      return undefined;
    }
  }
  putAnalysed(key: string, entry: AnalysedEntry) {
    return this.put('analysed', key, entry);
  }
}

/** Size of a file in bytes, or -1 when it cannot be stat'ed. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

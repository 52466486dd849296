/**
 * The output folder: checked before any document is read, locked for the run, written aside and
 * swapped into place, and never a place where the tool deletes what it did not write.
 *
 * - Everything is written into a sibling `<out>.tmp-<pid>`, then swapped in with two renames, so an
 *   interrupted run never leaves half-written CSVs in `<out>`.
 * - `<out>/.inspection-themes-files.json` lists every file the tool wrote (path, size, SHA-256).
 *   When outputs are replaced, only files listed there and unchanged since are removed; anything
 *   else (a user's notes, a file they edited) is carried over into the new folder and reported.
 * - `<out>.lock` makes a second run into the same folder stop at once (see lock.ts); while it is
 *   held, any `<out>.tmp-*` / `<out>.old-*` / `<out>.trash-*` sibling is left by a killed run and is
 *   cleaned up, with the user's files in an `.old-*` moved back.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, parse, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { isInside } from '../util/fs.js';
import { lockOutput, pidAlive, type OutputLock } from './lock.js';

/** The list of files this tool wrote into an output folder. */
export const OUTPUT_MANIFEST = '.inspection-themes-files.json';
/** Files that may sit in an output folder before the first run (a committed outputs/README.md, .gitkeep). */
const PLACEHOLDER = /^(?:readme(?:\..*)?|\..*)$/i;
/** A README or dotfile at the top of an output folder: kept without a word on stderr. */
export const isPlaceholder = (path: string) => PLACEHOLDER.test(path);
/** Marks a folder written by a version of this tool older than the manifest. */
const LEGACY_MARKER = 'run_report.json';
/** What versions without a manifest wrote (their folders are recognised by run_report.json). */
const LEGACY_OUTPUTS = /^(?:sentences|documents|council_themes|benchmark|duplicates|emerging_terms)\.csv$|^report\.html$|^run_report\.json$|^charts\/(?:heatmap|balance|prevalence|profile)\.(?:vl\.json|svg|png)$/;

export interface WrittenFile {
  path: string;
  size: number;
  sha256: string;
}

interface OutputManifest {
  tool: 'inspection-themes';
  files: WrittenFile[];
}

export interface StagedOutput {
  /** Final folder (symbolic links resolved: a linked `--out` stays a link). */
  out: string;
  /** Temporary folder the writers write into. */
  tmp: string;
  /**
   * List what is in the current output folder that the tool did not write (kept, and carried over
   * at commit). Call before writing run_report.json to report it there.
   */
  foreign(): Promise<string[]>;
  /**
   * Write the manifest and swap the temporary folder into place; returns what was kept. `described`:
   * files already described (written and hashed by the caller); the others in the folder are hashed here.
   */
  commit(described?: WrittenFile[]): Promise<KeptFile[]>;
  /** Remove the temporary folder (after a failure) and release the lock. */
  abort(): Promise<void>;
}

/** A user's file carried over from the previous output folder (`as` when it had to be renamed). */
export interface KeptFile {
  path: string;
  as?: string;
  reason: 'not written by this tool' | 'changed since this tool wrote it';
}

async function exists(p: string) {
  try {
    return await lstat(p);
  } catch {
    return undefined;
  }
}

async function real(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    // Not there yet: resolve its nearest existing parent, so a link higher up is still seen.
    const up = dirname(p);
    return up === p ? p : join(await real(up), basename(p));
  }
}

export interface OutputContext {
  /** The corpus folder: the output may not be, contain or lie inside it. */
  corpusDir?: string;
}

/**
 * Check `--out` before any work: refuses an empty name, `/`, the home folder, the corpus folder
 * (or a folder inside it or holding it), an existing file, and a non-empty folder the tool did not
 * write (this includes the current folder when it holds other files). Returns the real path.
 */
export async function checkOutput(outArg: string, ctx: OutputContext): Promise<string> {
  if (!outArg.trim()) throw new UserError('the output folder is empty (--out ""); give a folder name, e.g. --out outputs');
  const out = await real(resolve(outArg));
  if (out === parse(out).root) throw new UserError(`refusing to write into ${outArg}: it is the root folder; choose a new folder, e.g. --out outputs`);
  if (out === (await real(homedir()))) throw new UserError(`refusing to write into ${outArg}: it is your home folder; choose a new folder, e.g. --out ~/inspection-outputs`);
  const corpus = ctx.corpusDir === undefined ? undefined : await real(resolve(ctx.corpusDir));
  if (out === corpus) throw new UserError(`refusing to write into ${outArg}: it is the corpus folder; choose a folder outside it, e.g. --out outputs`);
  if (corpus && isInside(corpus, out)) throw new UserError(`refusing to write into ${outArg}: it lies inside the corpus folder ${ctx.corpusDir}; choose a folder outside it`);
  if (corpus && isInside(out, corpus)) throw new UserError(`refusing to write into ${outArg}: it contains the corpus folder ${ctx.corpusDir}; choose a folder beside it`);
  const st = await exists(out);
  if (st && !st.isDirectory()) throw new UserError(`output path exists and is not a folder: ${outArg}; choose a folder name`);
  if (st) {
    // A README or dotfiles (.gitkeep) alone do not make a folder someone else's: they are kept.
    const names = (await readdir(out)).filter((n) => !PLACEHOLDER.test(n));
    if (names.length && !names.includes(OUTPUT_MANIFEST) && !names.includes(LEGACY_MARKER)) {
      const here = out === (await real(process.cwd())) ? ' (it is the current folder)' : '';
      throw new UserError(`output folder ${outArg}${here} is not empty and was not written by this tool; choose a new or empty folder`);
    }
  }
  return out;
}

/** Every file under `dir` (relative, '/'-separated, sorted). */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

export async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Path, size and SHA-256 of every file written into `dir` (the manifest itself excluded). */
export async function describeFiles(dir: string, files?: string[]): Promise<WrittenFile[]> {
  const list = (files ?? (await listFiles(dir))).filter((f) => f !== OUTPUT_MANIFEST).sort();
  const out: WrittenFile[] = [];
  for (const path of list) {
    const p = join(dir, path);
    out.push({ path, size: (await stat(p)).size, sha256: await fileSha256(p) });
  }
  return out;
}

/** What the tool wrote into `dir`, by its manifest (or, for older versions' folders, by name). */
async function toolFiles(dir: string): Promise<Map<string, WrittenFile | undefined>> {
  const map = new Map<string, WrittenFile | undefined>();
  try {
    const m = JSON.parse(await readFile(join(dir, OUTPUT_MANIFEST), 'utf8')) as OutputManifest;
    for (const f of m.files ?? []) if (typeof f?.path === 'string') map.set(f.path, f);
    map.set(OUTPUT_MANIFEST, undefined);
    return map;
  } catch {
    // No manifest (or a damaged one): a folder of an older version, known by its file names.
  }
  if (await exists(join(dir, LEGACY_MARKER))) for (const f of await listFiles(dir)) if (LEGACY_OUTPUTS.test(f)) map.set(f, undefined);
  return map;
}

/**
 * Files of an output folder that the tool did not write, or that changed since it wrote them
 * (different size or SHA-256 from its manifest). These are never deleted.
 */
async function foreignFiles(dir: string): Promise<KeptFile[]> {
  if (!(await exists(dir))) return [];
  const mine = await toolFiles(dir);
  const out: KeptFile[] = [];
  for (const f of await listFiles(dir)) {
    if (!mine.has(f)) {
      out.push({ path: f, reason: 'not written by this tool' });
      continue;
    }
    const rec = mine.get(f);
    if (!rec) continue;
    const p = join(dir, f);
    const st = await stat(p);
    if (st.size !== rec.size || (await fileSha256(p)) !== rec.sha256) out.push({ path: f, reason: 'changed since this tool wrote it' });
  }
  return out;
}

/** Names, sizes and modification times of the files under `dir` ('' when it does not exist). */
async function folderSignature(dir: string): Promise<string> {
  if (!(await exists(dir))) return '';
  const parts: string[] = [];
  for (const f of await listFiles(dir)) {
    const st = await stat(join(dir, f));
    parts.push(`${f}\0${st.size}\0${st.mtimeMs}`);
  }
  return parts.join('\n');
}

/** `notes.xlsx` -> `notes.kept.xlsx`, `notes.kept-2.xlsx`, ... : a free name in `dir`. */
async function freeName(dir: string, path: string): Promise<string> {
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = `${stem}.${n === 1 ? 'kept' : `kept-${n}`}${ext}`;
    if (!(await exists(join(dir, candidate)))) return candidate;
  }
}

/** Move the user's files from a replaced output folder `from` into the new one `to`. */
async function carryOver(from: string, to: string, files: KeptFile[]): Promise<KeptFile[]> {
  const kept: KeptFile[] = [];
  for (const f of files) {
    const src = join(from, f.path);
    if (!(await exists(src))) continue;
    let dest = f.path;
    if (await exists(join(to, dest))) dest = await freeName(to, dest);
    await mkdir(dirname(join(to, dest)), { recursive: true });
    await rename(src, join(to, dest));
    kept.push(dest === f.path ? f : { ...f, as: dest });
  }
  return kept;
}

/**
 * Clean up after killed runs (called with the lock held, so no other run is using these): a
 * `<out>.old-*` is a previous output folder half-swapped out: put back when `<out>` is missing,
 * otherwise its user files are moved into `<out>` and the rest removed. A `<out>.tmp-*` holds
 * only what a killed run wrote and is removed.
 */
async function recover(out: string): Promise<void> {
  const prefix = basename(out) + '.';
  let names: string[];
  try {
    names = await readdir(dirname(out));
  } catch {
    return;
  }
  for (const n of names.sort()) {
    if (!n.startsWith(prefix)) continue;
    const p = join(dirname(out), n);
    // A run killed while taking the lock leaves its half-made lock file (lock.ts) behind.
    const l = /^lock\.(?:(\d+)\.tmp|stale-(\d+))$/.exec(n.slice(prefix.length));
    if (l) {
      if (!pidAlive(Number(l[1] ?? l[2]))) await rm(p, { force: true });
      continue;
    }
    const m = /^(tmp|old|trash)-\d+$/.exec(n.slice(prefix.length));
    if (!m) continue;
    if (m[1] === 'old') {
      if (!(await exists(out))) {
        await rename(p, out);
        continue;
      }
      await carryOver(p, out, await foreignFiles(p));
      await discard(out, p);
      continue;
    }
    await rm(p, { recursive: true, force: true });
  }
}

/**
 * Remove a replaced output folder whose user files have been moved out. It is renamed to
 * `<out>.trash-<pid>` first: removing a folder takes many steps, and a kill half-way through must
 * not leave an `.old-*` whose manifest is gone (its remaining outputs would then look like user
 * files to the next run).
 */
async function discard(out: string, folder: string): Promise<void> {
  const trash = join(dirname(out), `${basename(out)}.trash-${process.pid}`);
  await rm(trash, { recursive: true, force: true });
  await rename(folder, trash);
  await rm(trash, { recursive: true, force: true });
}

/**
 * Check and lock the output folder and prepare its temporary sibling. Call before reading any
 * document: every problem with `--out` is a UserError here.
 */
export async function stageOutput(outArg: string, ctx: OutputContext = {}): Promise<StagedOutput> {
  const out = await checkOutput(outArg, ctx);
  try {
    await mkdir(dirname(out), { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create the output folder ${outArg}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const lock: OutputLock = await lockOutput(out, outArg);
  const tmp = join(dirname(out), `${basename(out)}.tmp-${process.pid}`);
  try {
    await recover(out);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp);
  } catch (err) {
    await lock.release();
    throw new UserError(`cannot write next to the output folder ${outArg}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // The classification of the current folder (hashing its files), kept from foreign() for commit()
  // while no file in the folder has changed since (same names, sizes and modification times).
  let classified: { signature: string; files: KeptFile[] } | undefined;
  const classify = async (): Promise<KeptFile[]> => {
    const signature = await folderSignature(out);
    if (classified?.signature !== signature) classified = { signature, files: await foreignFiles(out) };
    return classified.files;
  };
  return {
    out,
    tmp,
    foreign: async () => (await classify()).map((f) => f.path),
    async commit(described = []) {
      try {
        const known = new Map(described.map((f) => [f.path, f]));
        const all = (await listFiles(tmp)).filter((f) => f !== OUTPUT_MANIFEST);
        const rest = await describeFiles(tmp, all.filter((f) => !known.has(f)));
        const files = [...all.filter((f) => known.has(f)).map((f) => known.get(f)!), ...rest].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        const manifest: OutputManifest = { tool: 'inspection-themes', files };
        await writeFile(join(tmp, OUTPUT_MANIFEST), JSON.stringify(manifest, null, 1) + '\n');
        if (!(await exists(out))) {
          await rename(tmp, out);
          return [];
        }
        const old = join(dirname(out), `${basename(out)}.old-${process.pid}`);
        const keep = await classify();
        await rm(old, { recursive: true, force: true });
        await rename(out, old);
        await rename(tmp, out);
        // A kill from here on leaves the user's files in <out>.old-<pid>; the next run moves them back.
        const kept = await carryOver(old, out, keep);
        await discard(out, old);
        return kept;
      } finally {
        await lock.release();
      }
    },
    async abort() {
      try {
        await rm(tmp, { recursive: true, force: true });
      } finally {
        await lock.release();
      }
    },
  };
}

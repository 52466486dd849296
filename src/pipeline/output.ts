/**
 * Atomic output folder: everything is written into a sibling `<out>.tmp-<pid>` and then
 * swapped into place, so an interrupted run never leaves half-written CSVs in `<out>`.
 */
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../util/errors.js';

/** Files of an existing output folder that are carried over into the new one (not ours to delete). */
const KEEP = /^(readme(\..*)?|\..*)$/i;
/** The file that marks a folder as written by this tool. */
const MARKER = 'run_report.json';

export interface StagedOutput {
  /** Final folder. */
  out: string;
  /** Temporary folder the writers write into. */
  tmp: string;
  /** Swap the temporary folder into place. */
  commit(): Promise<void>;
  /** Remove the temporary folder (after a failure). */
  abort(): Promise<void>;
}

async function exists(p: string) {
  try {
    return await stat(p);
  } catch {
    return undefined;
  }
}

/**
 * Prepare a temporary sibling of `outArg`. Refuses (UserError) an existing path that is not a
 * folder, or a non-empty folder that was not written by this tool (it would be replaced).
 */
export async function stageOutput(outArg: string): Promise<StagedOutput> {
  const out = resolve(outArg);
  const st = await exists(out);
  if (st && !st.isDirectory()) throw new UserError(`output path exists and is not a folder: ${outArg}`);
  if (st) {
    const names = await readdir(out);
    const foreign = names.filter((n) => !KEEP.test(n));
    if (foreign.length && !names.includes(MARKER)) {
      throw new UserError(`output folder ${outArg} is not empty and was not written by this tool (no ${MARKER}); choose a new or empty folder`);
    }
  }
  try {
    await mkdir(dirname(out), { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create output folder ${outArg}: ${(err as Error).message}`);
  }
  const tmp = join(dirname(out), `${basename(out)}.tmp-${process.pid}`);
  await removeStale(out);
  await rm(tmp, { recursive: true, force: true });
  try {
    await mkdir(tmp);
  } catch (err) {
    throw new UserError(`cannot write next to the output folder ${outArg}: ${(err as Error).message}`);
  }
  return {
    out,
    tmp,
    async commit() {
      const old = join(dirname(out), `${basename(out)}.old-${process.pid}`);
      if (await exists(out)) {
        for (const n of await readdir(out)) {
          if (KEEP.test(n) && !(await exists(join(tmp, n)))) await cp(join(out, n), join(tmp, n), { recursive: true });
        }
        await rm(old, { recursive: true, force: true });
        await rename(out, old);
        await rename(tmp, out);
        await rm(old, { recursive: true, force: true });
      } else {
        await rename(tmp, out);
      }
    },
    async abort() {
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove `<out>.tmp-<pid>` / `<out>.old-<pid>` left by runs that were killed (their process is gone). */
async function removeStale(out: string): Promise<void> {
  const prefix = basename(out);
  let names: string[];
  try {
    names = await readdir(dirname(out));
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix + '.')) continue;
    const m = /^\.(tmp|old)-(\d+)$/.exec(n.slice(prefix.length));
    if (!m || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    const p = join(dirname(out), n);
    // A run killed between its two renames leaves the previous output in .old-<pid>: restore it.
    if (m[1] === 'old' && !(await exists(out))) await rename(p, out);
    else await rm(p, { recursive: true, force: true });
  }
}

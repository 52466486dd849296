/**
 * One run at a time per output folder: `<out>.lock`, created exclusively, holds the owner's pid,
 * host and process start time. A lock whose process is gone (killed run) is taken over; a live
 * one makes the second run stop at once with a UserError (exit 2), before it reads anything.
 */
import { readFileSync } from 'node:fs';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { UserError } from '../util/errors.js';

interface LockOwner {
  pid: number;
  host: string;
  /** Start time of the process (Linux /proc/<pid>/stat field 22), so a reused pid is not taken for the owner. */
  started: string;
}

/** Start time of a process, or '' when it cannot be read (not Linux, or no such process). */
function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** Is there a process with this pid (on this machine)? */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is the process that wrote this lock still running? Unknown owners (another host, unreadable) count as alive. */
function ownerAlive(owner: LockOwner | undefined): boolean {
  if (!owner || typeof owner.pid !== 'number') return false; // unreadable: not a lock this tool wrote whole
  if (owner.host !== hostname()) return true;
  if (!pidAlive(owner.pid)) return false;
  const now = processStart(owner.pid);
  return !owner.started || !now || now === owner.started;
}

/**
 * Remove a lock left by a run that was killed: renamed aside first, so that of two runs taking over
 * the same stale lock only one removes it, and one that grabbed a fresh lock by mistake puts it back.
 */
async function takeOver(path: string): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch {
    return true; // gone already: try to create it again
  }
  const owner = await readOwner(aside);
  if (ownerAlive(owner)) {
    await link(aside, path).catch(() => undefined);
    await rm(aside, { force: true });
    return false;
  }
  await rm(aside, { force: true });
  return true;
}

export interface OutputLock {
  path: string;
  release(): Promise<void>;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Take `<out>.lock`; throws UserError when another live run holds it. */
export async function lockOutput(out: string, shown: string): Promise<OutputLock> {
  const path = `${out}.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname(), started: processStart(process.pid) };
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written aside, then hard-linked into place: the lock appears whole or not at all.
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(me)).catch((err: NodeJS.ErrnoException) => {
      throw new UserError(`cannot write next to the output folder ${shown}: ${err.code ?? err.message}`);
    });
    try {
      await link(tmp, path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new UserError(`cannot write next to the output folder ${shown}: ${code ?? (err as Error).message}`);
      const owner = await readOwner(path);
      if (attempt === 0 && !ownerAlive(owner) && (await takeOver(path))) continue;
      const who = owner ? ` (process ${owner.pid}${owner.host !== me.host ? ` on ${owner.host}` : ''})` : '';
      throw new UserError(`another run is writing ${shown}${who}; wait for it to finish, or delete ${path} if no run is going on`);
    } finally {
      await rm(tmp, { force: true });
    }
    let released = false;
    return {
      path,
      async release() {
        if (released) return;
        released = true;
        const owner = await readOwner(path);
        if (owner?.pid === me.pid && owner.host === me.host) await rm(path, { force: true });
      },
    };
  }
  throw new UserError(`another run is writing ${shown}; wait for it to finish, or delete ${path} if no run is going on`);
}

/** Debian's pdftotext timed over a list of PDFs (the reference of `npm run bench` and scripts/pdf-engines.ts). */
import { spawnSync } from 'node:child_process';

/** pdftotext over the PDFs, one after another: wall-clock ms and CPU ms (user + system). */
export function pdftotext(pdfs: string[]): { wall: number; cpu: number } {
  const probe = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' });
  if (probe.error) throw new Error(`pdftotext not available: ${probe.error.message} (Debian: apt-get install poppler-utils)`);
  const t = performance.now();
  // One shell loop, so that the shell's `times` reports the CPU used by all the pdftotext children.
  const r = spawnSync('sh', ['-c', 'for f in "$@"; do pdftotext -q "$f" /dev/null; done; times', 'sh', ...pdfs], { encoding: 'utf8' });
  const wall = performance.now() - t;
  const lines = r.stdout.trim().split('\n');
  const secs = (s: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(s);
    return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN;
  };
  const kids = (lines.at(-1) ?? '').split(/\s+/);
  return { wall, cpu: secs(kids[0] ?? '') + secs(kids[1] ?? '') };
}

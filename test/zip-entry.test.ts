/**
 * NativeDeflateEntry (src/export/zip-entry.ts): entries compressed by zlib in independent pieces
 * on its thread pool, inside fflate's streaming Zip. A text of several pieces, pushed in uneven
 * chunks, comes back byte for byte (fflate and Python's zipfile, which checks the CRC), and the
 * bytes do not depend on how the text was cut into pushes.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Zip, unzipSync } from 'fflate';
import { NativeDeflateEntry, PIECE_BYTES } from '../src/export/zip-entry.js';

const SEEDS = resolve('corpus');
const STAMP = new Date(2000, 0, 1);

/** The seed documents' text, repeated until it spans several pieces. */
function longText(): Uint8Array {
  const seeds = readdirSync(SEEDS)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => readFileSync(join(SEEDS, n)));
  const parts: Buffer[] = [];
  let size = 0;
  for (let k = 0; size < 3.5 * PIECE_BYTES; k++) {
    const b = seeds[k % seeds.length]!;
    parts.push(b);
    size += b.length;
  }
  return Buffer.concat(parts);
}

/** A zip of `files`, each pushed in chunks of the given sizes (cycled), the last one final or (emptyFinal) followed by an empty final push. */
async function zipOf(files: [string, Uint8Array][], chunkSizes: number[], emptyFinal = false): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  let finish!: () => void;
  let failure: Error | undefined;
  const done = new Promise<void>((r) => (finish = r));
  const zip = new Zip((err, data, final) => {
    if (err) failure = err;
    else out.push(data);
    if (final || err) finish();
  });
  for (const [name, bytes] of files) {
    const e = new NativeDeflateEntry(name, 6, STAMP);
    zip.add(e);
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const n = chunkSizes[k % chunkSizes.length]!;
      e.push(bytes.subarray(at, at + n), !emptyFinal && at + n >= bytes.length);
      at += n;
    }
    if (emptyFinal || !bytes.length) e.push(new Uint8Array(0), true);
  }
  zip.end();
  await done;
  if (failure) throw failure;
  return Buffer.concat(out);
}

describe('NativeDeflateEntry', () => {
  const text = longText();
  const short = new TextEncoder().encode('Managers have oversight of casework.\n');

  it('gives back every byte of a text compressed in several pieces, with a CRC that zipfile accepts', async () => {
    const zip = await zipOf(
      [
        ['long.txt', text],
        ['short.txt', short],
        ['empty.txt', new Uint8Array(0)],
      ],
      [70_000, 1, 300_000],
    );
    expect(zip.length).toBeLessThan(text.length / 2);
    const back = unzipSync(zip);
    expect(Object.keys(back)).toEqual(['long.txt', 'short.txt', 'empty.txt']);
    expect(Buffer.from(back['long.txt']!).equals(Buffer.from(text))).toBe(true);
    expect(Buffer.from(back['short.txt']!).equals(Buffer.from(short))).toBe(true);
    expect(back['empty.txt']!.length).toBe(0);
    const path = join(mkdtempSync(join(tmpdir(), 'it-zip-')), 't.zip');
    writeFileSync(path, zip);
    const py = spawnSync('/usr/bin/python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip(), sum(i.file_size for i in z.infolist()))', path], { encoding: 'utf8' });
    expect(py.stdout.trim()).toBe(`None ${text.length + short.length}`);
  });

  it('compresses the same text to the same bytes however it is pushed', async () => {
    const a = await zipOf([['long.txt', text]], [PIECE_BYTES * 4]);
    const b = await zipOf([['long.txt', text]], [4_096, 123_457]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    // Exactly two pieces, pushed whole with the final flag, or piece by piece and then an empty final push.
    const two = text.subarray(0, 2 * PIECE_BYTES);
    const c = await zipOf([['two.txt', two]], [2 * PIECE_BYTES]);
    const d = await zipOf([['two.txt', two]], [PIECE_BYTES], true);
    expect(Buffer.from(c).equals(Buffer.from(d))).toBe(true);
  });
});

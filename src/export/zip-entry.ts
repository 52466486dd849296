/**
 * A zip entry (for fflate's streaming `Zip`) compressed by Node's own zlib on its thread pool
 * instead of fflate's JavaScript deflate: about twice as fast per byte, and off the main thread,
 * which goes on building the next part of the file meanwhile.
 *
 * The data pushed is gathered into pieces of exactly PIECE_BYTES, wherever the pushes cut it (so
 * the caller must not change a chunk after pushing it); each piece is compressed on its own
 * (raw deflate, ended with a sync flush, the last piece with the final block), so pieces can be
 * compressed at once on several threads and their outputs, joined in order, are one valid deflate
 * stream (each piece's back-references stay inside it). Pieces and their outputs depend only on
 * the bytes pushed, never on timing: the same data gives the same zip, for one zlib build (Node
 * versions may bundle different zlib releases, which may compress the same bytes differently).
 */
import { Zip, ZipPassThrough } from 'fflate';
import { constants, crc32, deflateRaw } from 'node:zlib';

/** Uncompressed bytes per independently compressed piece (the ratio is within 0.5% of one stream's). */
export const PIECE_BYTES = 1 << 20;
/** Uncompressed bytes handed to zlib and not yet back, above which a writer should wait (drained). */
export const MAX_PENDING_BYTES = 8 * PIECE_BYTES;

export class NativeDeflateEntry extends ZipPassThrough {
  #held: Uint8Array[] = [];
  #heldBytes = 0;
  #pending = 0;
  #chain: Promise<void> = Promise.resolve();
  #ended = false;
  #crc = 0;

  constructor(
    filename: string,
    readonly level: number,
    mtime: Date,
  ) {
    super(filename);
    this.compression = 8;
    this.mtime = mtime;
  }

  /** Uncompressed bytes handed to zlib and not yet back (drained() waits for them). */
  get pendingBytes(): number {
    return this.#pending;
  }

  /** Whether the last piece has been pushed and compressed. */
  get settled(): boolean {
    return this.#ended && this.#pending === 0;
  }

  /** As fflate's, with zlib's CRC-32 (native) in place of its JavaScript one. */
  override push(chunk: Uint8Array, final = false): void {
    if (!this.ondata) throw new Error(`${this.filename}: add the entry to a Zip before pushing data`);
    this.#crc = crc32(chunk, this.#crc);
    this.size += chunk.length;
    if (final) this.crc = this.#crc;
    this.process(chunk, final);
  }

  /** Gathers the data into pieces of exactly PIECE_BYTES (the last one shorter), wherever the pushes cut it. */
  override process(chunk: Uint8Array, final: boolean): void {
    if (final) this.#ended = true;
    if (chunk.length) {
      this.#held.push(chunk);
      this.#heldBytes += chunk.length;
    }
    // A full piece goes once data beyond it has come, so which piece is the last never depends on the pushes.
    while (this.#heldBytes > PIECE_BYTES) this.#compress(this.#take(PIECE_BYTES), false);
    if (final) this.#compress(this.#take(this.#heldBytes), true);
  }

  /** The first n held bytes, removed from the held chunks (copied only when they span chunks). */
  #take(n: number): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let need = n; need > 0; ) {
      const c = this.#held[0]!;
      if (c.length <= need) {
        parts.push(c);
        this.#held.shift();
        need -= c.length;
      } else {
        parts.push(c.subarray(0, need));
        this.#held[0] = c.subarray(need);
        need = 0;
      }
    }
    this.#heldBytes -= n;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, n);
  }

  /** Hands one piece to zlib; its output goes to the zip after the pieces before it. */
  #compress(piece: Uint8Array, final: boolean): void {
    this.#pending += piece.length;
    const compressed = new Promise<Uint8Array>((resolve, reject) =>
      deflateRaw(piece, { level: this.level, finishFlush: final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    // Handled where the chain reaches it; this keeps a failure there from counting as unhandled meanwhile.
    compressed.catch(() => undefined);
    // Outputs go to the zip in the order of the pieces, whatever order zlib finishes them in.
    this.#chain = this.#chain
      .then(() => compressed)
      .then(
        (out) => {
          this.#pending -= piece.length;
          this.ondata(null, out as Uint8Array<ArrayBuffer>, final);
        },
        (err: Error) => this.ondata(Object.assign(new Error(`${this.filename}: ${err.message}`), { code: 0 }), new Uint8Array(0), final),
      );
  }

  /** Settles when every piece handed to zlib so far has been compressed and passed on. */
  drained(): Promise<void> {
    return this.#chain;
  }
}

/** Zip entries' time stamp, in local time so the bytes do not depend on the time zone (fflate writes DOS local times). */
export const ZIP_ENTRY_TIME = new Date(2000, 0, 1, 0, 0, 0);

/**
 * A zip made entry by entry (fflate's streaming Zip of NativeDeflateEntry entries, level 6, fixed
 * time stamps), with the memory bound: `keepUp()` waits while the entries hold more than
 * MAX_PENDING_BYTES for zlib, so a writer that awaits it now and then never runs far ahead.
 */
export class ZipWriter {
  readonly #chunks: Uint8Array[] = [];
  readonly #live: NativeDeflateEntry[] = [];
  readonly #zip: Zip;
  readonly #done: Promise<void>;
  #failure: Error | undefined;

  constructor() {
    let finished!: () => void;
    this.#done = new Promise<void>((resolve) => (finished = resolve));
    this.#zip = new Zip((err, data, final) => {
      if (err) this.#failure ??= err;
      else this.#chunks.push(data);
      if (final || err) finished();
    });
  }

  /** A new entry, added to the zip: push its data, the last push final. */
  entry(name: string): NativeDeflateEntry {
    const e = new NativeDeflateEntry(name, 6, ZIP_ENTRY_TIME);
    this.#zip.add(e);
    this.#live.push(e);
    return e;
  }

  /** Resolves once the entries hold at most MAX_PENDING_BYTES waiting for zlib. */
  async keepUp(): Promise<void> {
    for (;;) {
      const open = this.#live.filter((e) => !e.settled);
      this.#live.splice(0, this.#live.length, ...open);
      if (open.reduce((n, e) => n + e.pendingBytes, 0) <= MAX_PENDING_BYTES) return;
      await open.find((e) => e.pendingBytes > 0)!.drained();
    }
  }

  /** Ends the zip (every entry must have had its final push); its bytes, in chunks. */
  async finish(): Promise<Uint8Array[]> {
    this.#zip.end();
    await this.#done;
    if (this.#failure) throw this.#failure;
    return this.#chunks;
  }
}

/** A zip of whole files, in the order given. */
export async function zipFiles(files: Iterable<readonly [string, Uint8Array]>): Promise<Uint8Array> {
  const zip = new ZipWriter();
  for (const [name, bytes] of files) {
    zip.entry(name).push(bytes, true);
    await zip.keepUp();
  }
  return Buffer.concat(await zip.finish());
}

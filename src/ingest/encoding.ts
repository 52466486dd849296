/**
 * Byte-level checks and text decoding for the text formats (txt, md, html).
 * Encoding is detected, not assumed: BOMs first (UTF-8, UTF-16 LE/BE), then a BOM-less
 * UTF-16 guess from the pattern of NUL bytes, then strict UTF-8, else Windows-1252.
 */
import iconv from 'iconv-lite';
import { DocumentError } from '../util/errors.js';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Detect the encoding of a text file's bytes. */
export function detectEncoding(bytes: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // BOM-less UTF-16: many NULs at odd (LE) or even (BE) offsets in the first KB.
  const n = Math.min(bytes.length, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  if (n >= 4 && oddNul > n * 0.3 && evenNul < n * 0.05) return { encoding: 'utf-16le', bomLength: 0 };
  if (n >= 4 && evenNul > n * 0.3 && oddNul < n * 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  if (isUtf8(bytes)) return { encoding: 'utf-8', bomLength: 0 };
  return { encoding: 'windows-1252', bomLength: 0 };
}

/** Strict UTF-8 validity, checked in chunks so a 50 MB file never makes a second full copy. */
function isUtf8(bytes: Uint8Array): boolean {
  // Pure ASCII fast path.
  let i = 0;
  const len = bytes.length;
  while (i < len && bytes[i]! < 0x80) i++;
  if (i === len) return true;
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when a file that should be text looks binary: NUL bytes (outside UTF-16) or a high
 * share of control characters in its first 8 KB, or a known binary signature.
 */
export function looksBinary(bytes: Uint8Array, encoding: TextEncodingName): boolean {
  const n = Math.min(bytes.length, 8192);
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return true; // %PDF-
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return true; // zip / docx
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return true; // png
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return true; // jpeg
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return true; // OLE (doc, xls)
  if (startsWith(bytes, [0x1f, 0x8b])) return true; // gzip
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return n > 0 && control / n > 0.1;
}

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  if (bytes.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[i] !== sig[i]) return false;
  return true;
}

/** Decode a text file: detect encoding, reject binary and empty content. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const { encoding, bomLength } = detectEncoding(bytes);
  if (looksBinary(bytes, encoding)) throw new DocumentError('binary', 'file has a text extension but binary content');
  const body = bytes.subarray(bomLength);
  // Node's built-in TextDecoder treats 'windows-1252' as Latin-1 (0x80-0x9F become C1
  // controls, losing ’ “ ” – —), so the single-byte code page goes through iconv-lite.
  const text = encoding === 'windows-1252' ? iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), 'win1252') : new TextDecoder(encoding).decode(body);
  if (!/\S/.test(text)) throw new DocumentError('empty', 'file has no text');
  return { text, encoding };
}

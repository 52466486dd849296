/**
 * pdfjs-dist's legacy build (needed on Node 20) bundles core-js polyfills that REPLACE two
 * native built-ins for the whole thread, for edge cases we never hit:
 *   - Array.prototype.push  (arrays longer than 2^32 - 1), and
 *   - JSON.stringify        (JSON.rawJSON support, absent in Node 20).
 * The replacements are several times slower and every stage after ingest pays for them (the
 * tagger pushes, the writers stringify). We capture the natives before pdfjs is loaded and put
 * them back after each PDF is read; both polyfills are semantics-preserving, so pdfjs is unaffected.
 */
const isNative = (f: unknown) => typeof f === 'function' && /\[native code\]\s*\}$/.test(Function.prototype.toString.call(f));

const nativePush = Array.prototype.push;
const nativeStringify = JSON.stringify;

/** Put back the native push / JSON.stringify if a polyfill replaced them. Returns true if it did. */
export function restoreNatives(): boolean {
  let changed = false;
  if (Array.prototype.push !== nativePush && isNative(nativePush)) {
    Object.defineProperty(Array.prototype, 'push', { value: nativePush, writable: true, configurable: true, enumerable: false });
    changed = true;
  }
  if (JSON.stringify !== nativeStringify && isNative(nativeStringify)) {
    Object.defineProperty(JSON, 'stringify', { value: nativeStringify, writable: true, configurable: true, enumerable: false });
    changed = true;
  }
  return changed;
}

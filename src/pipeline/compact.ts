/**
 * Compact analysed documents in place for holding a whole corpus in memory. A record that comes
 * back from a worker thread or the cache is rebuilt string by string, so the same words ("rule:
 * no_final_stop", a heading path, a label) are held once per sentence; here every repeated string
 * and heading path is replaced by one shared copy. Nothing changes in value: every output is byte for byte what it was (a test checks).
 * On the national corpus this makes the documents about a fifth smaller.
 */
import type { AnalysedDocument, Evidence } from '../types.js';

export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #paths = new Map<string, string[]>();

  /** The one shared copy of a string. */
  string<T extends string>(s: T): T {
    const had = this.#strings.get(s);
    if (had !== undefined) return had as T;
    this.#strings.set(s, s);
    return s;
  }

  /** The one shared copy of a heading path (never mutated by later stages). */
  path(p: string[]): string[] {
    const key = p.join('\u0000');
    const had = this.#paths.get(key);
    if (had) return had;
    const shared = p.map((s) => this.string(s));
    this.#paths.set(key, shared);
    return shared;
  }

  get size(): number {
    return this.#strings.size;
  }
}

function evidence(list: Evidence[], I: Interner): void {
  for (const e of list) {
    e.kind = I.string(e.kind);
    e.value = I.string(e.value);
    e.points = I.string(e.points);
  }
}

/** Replace repeated strings of a document by shared copies (in place); returns the document. */
export function compactDocument(doc: AnalysedDocument, I: Interner): AnalysedDocument {
  doc.id = I.string(doc.id);
  doc.file = I.string(doc.file);
  for (const f of doc.findings) {
    f.doc = I.string(f.doc);
    f.sectionPath = I.path(f.sectionPath);
    f.blockKind = I.string(f.blockKind);
    f.label = I.string(f.label);
    f.code = I.string(f.code);
    evidence(f.evidence, I);
    for (const t of f.themes) {
      t.theme = I.string(t.theme);
      for (let k = 0; k < t.terms.length; k++) t.terms[k] = I.string(t.terms[k]!);
    }
  }
  for (const s of doc.sections) s.path = I.path(s.path);
  return doc;
}

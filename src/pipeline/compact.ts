/**
 * Compact analysed documents in place for holding a whole corpus in memory. A record that comes
 * back from a worker thread or the cache is rebuilt string by string, so the same words ("rule:
 * no_final_stop", a heading path, a label) are held once per sentence; here every repeated string,
 * heading path, piece of evidence and theme hit is replaced by one shared copy. The national
 * corpus's 180,000 findings carry 1.3 million pieces of evidence but only about 15,000 distinct
 * ones. Shared records are frozen: the stages after this (overrides, aggregation, outputs) build
 * new records and never edit these. Nothing changes in value: every output is byte for byte what
 * it was (the determinism tests compare runs that load documents from the cache with runs that
 * analyse them). The analyse step compacts each finding as it is made (compactFinding, one
 * Interner per document), so that a long document is small to cache and to pass from a worker
 * (both keep shared records shared); the run then shares them across documents.
 */
import type { AnalysedDocument, DocumentFinding, Evidence, ThemeHit } from '../types.js';

export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #paths = new Map<string, string[]>();
  readonly #evidence = new Map<string, Evidence>();
  readonly #hits = new Map<string, ThemeHit>();
  /**
   * What a record object already stands for: records that arrive shared (a document compacted
   * when it was analysed and read back from the cache or a worker keeps its repeats as one object)
   * are looked up by identity, without building their key again.
   */
  readonly #seen = new WeakMap<object, object>();

  /** The one shared copy of a string. */
  string<T extends string>(s: T): T {
    const had = this.#strings.get(s);
    if (had !== undefined) return had as T;
    this.#strings.set(s, s);
    return s;
  }

  /**
   * The one shared copy of a record: by identity if this object was seen before, else by its key
   * in `table`, else `make()` becomes the shared copy.
   */
  #share<T extends object>(obj: T, table: Map<string, T>, key: (o: T) => string, make: (o: T) => T): T {
    const seen = this.#seen.get(obj);
    if (seen) return seen as T;
    const k = key(obj);
    let shared = table.get(k);
    if (!shared) {
      shared = make(obj);
      table.set(k, shared);
      this.#seen.set(shared, shared);
    }
    this.#seen.set(obj, shared);
    return shared;
  }

  /** The one shared copy of a heading path (never mutated by later stages). */
  path(p: string[]): string[] {
    return this.#share(p, this.#paths, (x) => x.join('\u0000'), (x) => x.map((s) => this.string(s)));
  }

  /** The one shared (frozen) copy of a piece of evidence. */
  evidence(e: Evidence): Evidence {
    return this.#share(
      e,
      this.#evidence,
      (x) => `${x.kind}\u0000${x.value}\u0000${x.points}\u0000${x.weight}`,
      (x) => Object.freeze({ kind: this.string(x.kind), value: this.string(x.value), points: this.string(x.points), weight: x.weight }),
    );
  }

  /** The one shared (frozen) copy of a theme hit and its matched terms. */
  hit(h: ThemeHit): ThemeHit {
    return this.#share(
      h,
      this.#hits,
      (x) => `${x.theme}\u0000${x.terms.join('\u0000')}`,
      (x) => Object.freeze({ theme: this.string(x.theme), terms: Object.freeze(x.terms.map((t) => this.string(t))) as string[] }),
    );
  }

  get size(): number {
    return this.#strings.size;
  }
}

/** Replace a finding's repeated strings and records by shared copies (in place); returns the finding. */
export function compactFinding<F extends DocumentFinding>(f: F, I: Interner): F {
  f.doc = I.string(f.doc);
  f.sectionPath = I.path(f.sectionPath);
  f.blockKind = I.string(f.blockKind);
  f.label = I.string(f.label);
  f.code = I.string(f.code);
  for (let k = 0; k < f.evidence.length; k++) f.evidence[k] = I.evidence(f.evidence[k]!);
  for (let k = 0; k < f.themes.length; k++) f.themes[k] = I.hit(f.themes[k]!);
  return f;
}

/** Replace repeated strings and records of a document by shared copies (in place); returns the document. */
export function compactDocument(doc: AnalysedDocument, I: Interner): AnalysedDocument {
  doc.id = I.string(doc.id);
  doc.file = I.string(doc.file);
  for (const f of doc.findings) compactFinding(f, I);
  for (const t of doc.terms ?? []) t.term = I.string(t.term);
  for (const s of doc.sections) s.path = I.path(s.path);
  return doc;
}

/**
 * Fair counting across councils: one finding quoted in several documents about the same
 * council and inspection (a council report quoting the Ofsted letter, a news item quoting
 * the report, a summary repeated in an appendix) is counted once.
 *
 * Inspection identity (documented in the README):
 *  - a manifest column `inspection` names it explicitly when present;
 *  - Ofsted documents (full inspection, focused visit, JTAI, monitoring visit, Ofsted letter)
 *    of one council published within SAME_INSPECTION_DAYS of each other are one inspection,
 *    identified by the earliest of them;
 *  - a secondary document (council report, news, other) belongs to the latest Ofsted document
 *    of its council published up to REPORT_WINDOW_DAYS before it (or REPORT_LEAD_DAYS after);
 *  - otherwise (no such Ofsted document in the corpus, or no date) a document is its own inspection.
 * Two sentences are the same finding when they belong to one council and inspection and their
 * normalised text (case, punctuation, quote marks, list numbering, whitespace ignored) is equal
 * and at least MIN_WORDS words long. The kept copy prefers the Ofsted document, then the
 * earliest document id, then the first position.
 */
import type { AnalysedDocument, DocumentFinding } from '../types.js';
import { OFSTED_DOCUMENT_TYPES } from '../vocab/documents.js';
import { UNKNOWN_COUNCIL } from '../vocab/councils.js';

/** Ofsted's own documents anchor an inspection (src/vocab/documents.ts). */
export const PRIMARY_TYPES: ReadonlySet<string> = OFSTED_DOCUMENT_TYPES;
export const SAME_INSPECTION_DAYS = 62;
export const REPORT_WINDOW_DAYS = 548;
export const REPORT_LEAD_DAYS = 31;
export const MIN_WORDS = 5;

export interface DuplicateFinding {
  council: string;
  inspection: string;
  /** The sentence not counted. */
  sentenceId: string;
  doc: string;
  /** The sentence counted in its place. */
  duplicateOf: string;
  duplicateOfDoc: string;
  label: string;
  text: string;
}

const dayNumber = (iso: string): number | null => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const t = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(t) ? null : Math.round(t / 86_400_000);
};

export const councilName = (d: AnalysedDocument): string => d.meta.council.trim() || UNKNOWN_COUNCIL;

/** Map each document id to its inspection id (see module comment). */
export function assignInspections(documents: AnalysedDocument[]): Map<string, string> {
  const out = new Map<string, string>();
  const byCouncil = new Map<string, AnalysedDocument[]>();
  for (const d of [...documents].sort((a, b) => cmp(a.id, b.id))) {
    const explicit = (d.meta.extra?.inspection ?? '').trim();
    if (explicit) {
      out.set(d.id, `manifest:${explicit}`);
      continue;
    }
    const c = councilName(d);
    if (!byCouncil.has(c)) byCouncil.set(c, []);
    byCouncil.get(c)!.push(d);
  }
  for (const docs of byCouncil.values()) {
    // Cluster the council's dated Ofsted documents into inspections.
    const primary = docs
      .filter((d) => PRIMARY_TYPES.has(d.meta.documentType) && dayNumber(d.meta.date) !== null)
      .sort((a, b) => dayNumber(a.meta.date)! - dayNumber(b.meta.date)! || cmp(a.id, b.id));
    const anchors: { day: number; id: string }[] = [];
    for (const d of primary) {
      const day = dayNumber(d.meta.date)!;
      const last = anchors[anchors.length - 1];
      if (last && day - last.day <= SAME_INSPECTION_DAYS) out.set(d.id, last.id);
      else {
        anchors.push({ day, id: d.id });
        out.set(d.id, d.id);
      }
    }
    for (const d of docs) {
      if (out.has(d.id)) continue;
      const day = dayNumber(d.meta.date);
      let anchor: string = d.id;
      if (day !== null) {
        const candidates = anchors.filter((a) => a.day <= day + REPORT_LEAD_DAYS && a.day >= day - REPORT_WINDOW_DAYS);
        if (candidates.length) anchor = candidates[candidates.length - 1].id;
      }
      out.set(d.id, anchor);
    }
  }
  return out;
}

/** Text normalised for duplicate matching. */
export function normaliseFinding(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    // Leading bullets and list numbering ('18.1.', '19.1', '3)', '(ii)', 'a.'), not a plain number ('25 cases').
    .replace(/^[\s\-–—•*>'"‘“]*(?:(?:\d+(?:\.\d+)+\.?|\d+[.)]|\(\d+\)|[ivx]+[.)]|\([ivx]+\)|[a-z][.)]|\([a-z]\))\s+)?/u, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Find duplicate findings. Returns the duplicates (each pointing at the kept copy), sorted by
 * council, inspection and sentence order.
 */
export function findDuplicates(documents: AnalysedDocument[], inspectionOf: Map<string, string>): DuplicateFinding[] {
  const docById = new Map(documents.map((d) => [d.id, d]));
  const groups = new Map<string, DocumentFinding[]>();
  for (const d of documents) {
    const council = councilName(d);
    const insp = inspectionOf.get(d.id) ?? d.id;
    for (const f of d.findings) {
      if (f.isHeading) continue;
      const norm = normaliseFinding(f.text);
      if (norm.split(' ').length < MIN_WORDS) continue;
      const key = `${council}\u0000${insp}\u0000${norm}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(f);
    }
  }
  const rank = (f: DocumentFinding): [number, string, number] => [PRIMARY_TYPES.has(docById.get(f.doc)!.meta.documentType) ? 0 : 1, f.doc, f.index];
  const out: DuplicateFinding[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const sorted = [...members].sort((a, b) => {
      const [pa, da, ia] = rank(a);
      const [pb, db, ib] = rank(b);
      return pa - pb || cmp(da, db) || ia - ib;
    });
    const keep = sorted[0];
    for (const f of sorted.slice(1)) {
      const d = docById.get(f.doc)!;
      out.push({
        council: councilName(d),
        inspection: inspectionOf.get(f.doc) ?? f.doc,
        sentenceId: f.id,
        doc: f.doc,
        duplicateOf: keep.id,
        duplicateOfDoc: keep.doc,
        label: keep.label,
        text: f.text,
      });
    }
  }
  return out.sort((a, b) => cmp(a.council, b.council) || cmp(a.inspection, b.inspection) || cmp(a.doc, b.doc) || sentenceIndex(a.sentenceId) - sentenceIndex(b.sentenceId));
}

const sentenceIndex = (id: string) => Number(id.slice(id.lastIndexOf('#') + 1)) || 0;

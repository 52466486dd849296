/**
 * Metadata from where a file sits: the layout the sector's scrape tool writes,
 *
 *   export_data/inspection_reports/<urn>_<council>/<kind> - <date>.pdf
 *   e.g. 2532283_dorset/Children's services inspection - 19 November 2021.pdf
 *
 * gives the Ofsted URN and the council from the folder name, and the document kind and the
 * publication date from the file name. The values use the manifest's column names; a manifest
 * row for the file wins over them (ingest/metadata.ts), and the text fills in the rest.
 */
import type { DocumentType } from '../vocab/documents.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "<urn>_<council>": an Ofsted URN (5-8 digits), then the council's name with _ or - for spaces. */
const FOLDER = /^(\d{5,8})[_ -]+(.+)$/;
/** "<kind> - <date>" (en or em dashes too), with a date like "19 November 2021" or 2021-11-19. */
const FILE = /^(.+?)\s+[-\u2013\u2014]\s+(\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\s+\d{4}|\d{4}-\d{2}-\d{2})\s*$/;

/** The scrape tool's kinds, as written in its file names, and the document type each is. */
const KINDS: [RegExp, DocumentType][] = [
  [/\bfocused visit\b/i, 'focused_visit'],
  [/\bmonitoring visit\b/i, 'monitoring_visit'],
  [/\bjoint targeted area inspection\b|\bjtai\b/i, 'jtai'],
  [/\bsafeguarding children board\b|\blscb\b/i, 'lscb_review'],
  [/\bchildren[’']?s services inspection\b|\binspection of (?:local authority )?children[’']?s services\b|\bsingle inspection\b|\bilacs\b|\blooked after children and safeguarding\b/i, 'full_inspection'],
];

/** A date of a file name as YYYY-MM-DD, or ''. */
function isoDate(s: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const m = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})$/.exec(s);
  if (!m) return '';
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  const day = Number(m[1]);
  if (month < 0 || day < 1 || day > 31) return '';
  const d = new Date(Date.UTC(Number(m[3]), month, day));
  return d.getUTCDate() === day ? d.toISOString().slice(0, 10) : '';
}

/**
 * What a file's relative path (POSIX separators) says about it, or undefined when it is not in
 * the scrape tool's layout. The council is given as written (underscores and hyphens as spaces);
 * the gazetteer resolves it as it does a manifest's.
 */
export function layoutMetadata(relPath: string): Record<string, string> | undefined {
  const parts = relPath.split('/');
  if (parts.length < 2) return undefined;
  const folder = FOLDER.exec(parts[parts.length - 2]!);
  if (!folder) return undefined;
  const out: Record<string, string> = { ofsted_urn: folder[1]!, local_authority: folder[2]!.replace(/[_-]+/g, ' ').trim() };
  const stem = parts[parts.length - 1]!.replace(/\.[A-Za-z0-9]+$/, '');
  const file = FILE.exec(stem);
  if (file) {
    const kind = KINDS.find(([re]) => re.test(file[1]!));
    if (kind) out.document_type = kind[1];
    const date = isoDate(file[2]!);
    if (date) out.published = date;
  }
  return out;
}

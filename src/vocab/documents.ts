/**
 * The vocabulary of documents and inspections, in one place: what kind of document a file is,
 * which inspection framework an Ofsted inspection belongs to, and the kind of inspection event a
 * table row stands for. Typed unions with their parsing.
 */

/** Document types recognised by metadata detection (or given by a manifest's `document_type`). */
export const DOCUMENT_TYPES = [
  'full_inspection',
  'focused_visit',
  'jtai',
  'monitoring_visit',
  'lscb_review',
  'ofsted_letter',
  'council_report',
  'news',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Documents Ofsted itself writes about an inspection (the others report on one). */
export const OFSTED_DOCUMENT_TYPES: ReadonlySet<DocumentType> = new Set(['full_inspection', 'focused_visit', 'jtai', 'monitoring_visit', 'lscb_review', 'ofsted_letter']);

/** A manifest value ("Full inspection", "focused-visit") as a document type, or undefined. */
export function asDocumentType(v: string | undefined): DocumentType | undefined {
  const k = (v ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (DOCUMENT_TYPES as readonly string[]).includes(k) ? (k as DocumentType) : undefined;
}

/**
 * Inspection frameworks of councils' children's services: the inspections of safeguarding and
 * looked after children before November 2013 (`earlier`), the single inspection framework (`sif`,
 * November 2013 to 2017) and the inspection of local authority children's services (`ilacs`, 2018 on).
 */
export const FRAMEWORKS = ['earlier', 'sif', 'ilacs'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/**
 * The names of the inspectorate and of its frameworks and inspection types, as words of text: a
 * phrase holding one ("the last ILACS inspection") is about the inspection, not about practice.
 */
export const INSPECTION_NAME_WORDS: ReadonlySet<string> = new Set(['ofsted', 'ilacs', 'sif', 'jtai', 'jtais']);

/** First inspection day of each framework (ISO dates). */
export const FRAMEWORK_START: Record<Framework, string> = { earlier: '0000-01-01', sif: '2013-11-01', ilacs: '2018-01-01' };

/** The framework in force on an ISO date, or undefined without a date. */
export function frameworkOn(date: string): Framework | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  if (date >= FRAMEWORK_START.ilacs) return 'ilacs';
  if (date >= FRAMEWORK_START.sif) return 'sif';
  return 'earlier';
}

export function asFramework(v: string | undefined): Framework | undefined {
  const k = (v ?? '').trim().toLowerCase();
  return (FRAMEWORKS as readonly string[]).includes(k) ? (k as Framework) : undefined;
}

/**
 * The kind of inspection event (a row of inspections.csv): a full inspection by framework (an
 * ILACS one is `standard`, two weeks on site, or `short`, one week, for councils judged good or
 * outstanding before), or the document type of the visit, review or report.
 */
export const FULL_INSPECTION_KINDS = ['earlier_inspection', 'sif_inspection', 'ilacs_standard', 'ilacs_short', 'ilacs_inspection'] as const;
export type FullInspectionKind = (typeof FULL_INSPECTION_KINDS)[number];
export type InspectionKind = FullInspectionKind | Exclude<DocumentType, 'full_inspection'>;
export const INSPECTION_KINDS: readonly InspectionKind[] = [...FULL_INSPECTION_KINDS, ...DOCUMENT_TYPES.filter((t): t is Exclude<DocumentType, 'full_inspection'> => t !== 'full_inspection')];

/** Each inspection kind in words, as the report and its timeline name them. */
export const INSPECTION_KIND_NAMES: Record<InspectionKind, string> = {
  earlier_inspection: 'inspection (before the SIF)',
  sif_inspection: 'SIF inspection',
  ilacs_standard: 'ILACS standard inspection',
  ilacs_short: 'ILACS short inspection',
  ilacs_inspection: 'ILACS inspection',
  focused_visit: 'focused visit',
  jtai: 'joint targeted area inspection',
  monitoring_visit: 'monitoring visit',
  lscb_review: 'LSCB review',
  ofsted_letter: 'Ofsted letter',
  council_report: 'council report',
  news: 'news item',
  other: 'other document',
};

/** Longest time on site of an ILACS short inspection (one week; a standard one takes two). */
export const ILACS_SHORT_MAX_DAYS = 7;

/** The inspection kind of a document from its type, framework and days on site. */
export function inspectionKindOf(type: DocumentType, framework: Framework | undefined, daysOnSite: number | undefined): InspectionKind {
  if (type !== 'full_inspection') return type;
  if (framework === 'earlier') return 'earlier_inspection';
  if (framework === 'sif') return 'sif_inspection';
  if (framework === 'ilacs') return daysOnSite === undefined ? 'ilacs_inspection' : daysOnSite <= ILACS_SHORT_MAX_DAYS ? 'ilacs_short' : 'ilacs_standard';
  return 'other';
}

const FULL_KINDS: ReadonlySet<string> = new Set(FULL_INSPECTION_KINDS);

/** Is this kind a full (graded) inspection of the council's children's services? */
export const isFullInspection = (k: InspectionKind): k is FullInspectionKind => FULL_KINDS.has(k);

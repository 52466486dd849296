/**
 * Document metadata: council (manifest, else inferred from the text against the gazetteer),
 * date, document type and judgement grades. Manifest values win; provenance records the source.
 */
import type { DocumentMeta, Grades, TextBlock } from '../types.js';
import { JUDGEMENT, JUDGEMENT_OR_ADEQUATE, parseGrade, type Grade } from '../vocab/grades.js';
import { asDocumentType, asFramework, frameworkOn, OFSTED_DOCUMENT_TYPES, type DocumentType, type Framework } from '../vocab/documents.js';

/** Document types that carry judgement grades ('other': an unrecognised report may still have its table). */
const GRADED_TYPES: ReadonlySet<DocumentType> = new Set(['full_inspection', 'lscb_review', 'other']);
import { Gazetteer, type LocalAuthority } from './gazetteer.js';

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};
const MONTH_NAMES = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_WORDS = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAMES})\\.?,?\\s+(\\d{4})\\b`, 'i');
const DATE_WORDS_G = new RegExp(DATE_WORDS.source, 'gi');
const DATE_US = new RegExp(`\\b(${MONTH_NAMES})\\s+(\\d{1,2})(?:st|nd|rd|th)?,\\s+(\\d{4})\\b`, 'i');
const DATE_NUMERIC = /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/;
const DATE_NUMERIC_G = new RegExp(DATE_NUMERIC.source, 'g');
const DATE_ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/;
const PUBLISHED = /\b(?:report\s+)?published:?\s*/i;
const DATED_LABEL = /^(?:date(?: of (?:decision|meeting|report))?|meeting date|report date)\s*[:|]?\s*/i;
const INSPECTION_DATES = /^inspection dates?:?\s*/i;

function iso(y: number, m: number, d: number): string {
  if (!(y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return '';
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Parse the first date in a string (UK day-first conventions), or ''. */
export function parseDate(s: string): string {
  let m = DATE_ISO.exec(s);
  if (m) return iso(+m[1]!, +m[2]!, +m[3]!);
  m = DATE_WORDS.exec(s);
  if (m) return iso(+m[3]!, MONTHS[m[2]!.toLowerCase().replace(/\.$/, '')] ?? MONTHS[m[2]!.toLowerCase().slice(0, 3)]!, +m[1]!);
  m = DATE_US.exec(s);
  if (m) return iso(+m[3]!, MONTHS[m[1]!.toLowerCase().slice(0, 3)]!, +m[2]!);
  m = DATE_NUMERIC.exec(s);
  if (m) return iso(+m[3]!, +m[2]!, +m[1]!);
  return '';
}

/** The last date in a range such as "18 March to 22 March 2024" or "11 to 15 September 2023". */
function rangeEnd(s: string): string {
  let last = '';
  for (const m of s.matchAll(DATE_WORDS_G)) last = m[0];
  return last ? parseDate(last) : '';
}

export interface DateGuess {
  date: string;
  source: string;
}

/** Infer a document date from its opening blocks. */
export function inferDate(blocks: TextBlock[], rawHead: string): DateGuess {
  const head = blocks.slice(0, 60);
  const published = inferPublished(blocks);
  if (published) return { date: published, source: 'text:published' };
  for (const b of head) {
    const t = b.text.replace(/^[^|]*\|\s*/, (m) => (DATED_LABEL.test(m) ? m.replace(/\|\s*$/, ' ') : m));
    if (DATED_LABEL.test(t)) {
      const d = parseDate(t.replace(DATED_LABEL, ''));
      if (d) return { date: d, source: 'text:date_label' };
    }
  }
  for (const b of head.slice(0, 30)) {
    if (b.text.length <= 30) {
      const d = parseDate(b.text);
      if (d && b.text.replace(DATE_WORDS, '').replace(DATE_NUMERIC, '').trim().length <= 3) return { date: d, source: 'text:dateline' };
    }
  }
  for (const b of head) {
    if (INSPECTION_DATES.test(b.text)) {
      const d = rangeEnd(b.text);
      if (d) return { date: d, source: 'text:inspection_end' };
    }
  }
  const im = /inspection dates?:?\s*([^\n]{0,80})/i.exec(rawHead);
  if (im) {
    const d = rangeEnd(im[1]!);
    if (d) return { date: d, source: 'text:inspection_end' };
  }
  return { date: '', source: 'none' };
}

export interface InspectionDates {
  start: string;
  end: string;
}

/** The start of a range, right before its end date: "6 to", "18 March to", "29 October 2018 –". */
const RANGE_START = new RegExp(`(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+(${MONTH_NAMES}))?\\.?,?(?:\\s+(\\d{4}))?\\s*(?:to|–|—|-|until)\\s*$`, 'i');

/**
 * The first and last day on site, from "Inspection dates: 6 to 17 December 2021", "29 October 2018
 * to 9 November 2018", "18 March to 22 March 2024", "15 – 19 July 2013" or "Inspection date: 15 June
 * 2015 – 17 June 2015" (a publication date after it is not part of the range).
 */
export function parseInspectionDates(text: string): InspectionDates {
  let t = text.replace(INSPECTION_DATES, '').replace(/\s+/g, ' ').trim().slice(0, 160);
  const cut = /\b(?:report )?published\b/i.exec(t);
  if (cut) t = t.slice(0, cut.index);
  const full = [...t.matchAll(DATE_WORDS_G), ...t.matchAll(DATE_NUMERIC_G)].sort((a, b) => a.index - b.index);
  const last = full[full.length - 1];
  if (!last) return { start: '', end: '' };
  const end = parseDate(last[0]);
  if (!end) return { start: '', end: '' };
  if (full.length >= 2 && DATE_NUMERIC.test(full[0]![0])) {
    const start = parseDate(full[0]![0]);
    if (start && start <= end) return { start, end };
  }
  const r = RANGE_START.exec(t.slice(0, last.index));
  if (r) {
    const endMonth = Number(end.slice(5, 7));
    const month = r[2] ? (MONTHS[r[2].toLowerCase()] ?? MONTHS[r[2].toLowerCase().slice(0, 3)])! : endMonth;
    const year = r[3] ? Number(r[3]) : Number(end.slice(0, 4)) - (month > endMonth ? 1 : 0);
    const start = iso(year, month, Number(r[1]));
    if (start && start <= end) return { start, end };
  }
  return { start: end, end };
}

/** Inspection dates from the opening blocks (or the raw opening text), '' when the document gives none. */
export function inferInspectionDates(blocks: TextBlock[], rawHead: string): InspectionDates {
  for (const b of blocks.slice(0, 60)) {
    const t = b.text.replace(/\s*\|\s*/g, ' ');
    if (INSPECTION_DATES.test(t)) {
      const r = parseInspectionDates(t);
      if (r.end) return r;
    }
  }
  const im = /inspection dates?:?\s*([^\n]{0,100})/i.exec(rawHead);
  return im ? parseInspectionDates(im[1]!) : { start: '', end: '' };
}

/** Publication date printed in the document ("Report published: 3 August 2015"), or ''. */
export function inferPublished(blocks: TextBlock[]): string {
  for (const b of blocks.slice(0, 60)) {
    const pm = PUBLISHED.exec(b.text);
    if (pm) {
      const d = parseDate(b.text.slice(pm.index + pm[0].length));
      if (d) return d;
    }
  }
  return '';
}

const TITLE_PATTERNS: RegExp[] = [
  /inspection of (.+?) local authority children/i,
  /(?:focused visit|monitoring visit|joint targeted area inspection)[^.]{0,30}? to (.+?)(?: county| city| borough| metropolitan)? council\b/i,
  /^(?:london borough of |royal borough of |metropolitan borough of )?(.+?)(?: county| city| borough| metropolitan borough| district)? council$/i,
  /^(?:london borough of |royal borough of |metropolitan borough of )(.+)$/i,
];

export interface CouncilGuess {
  la?: LocalAuthority;
  source: string;
}

/** Infer the council a document is about: title patterns first, then the most-mentioned name (opening weighted). */
export function inferCouncil(blocks: TextBlock[], gaz: Gazetteer): CouncilGuess {
  for (const b of blocks.slice(0, 12)) {
    const t = b.text.replace(/\s+/g, ' ').trim();
    for (const re of TITLE_PATTERNS) {
      const m = re.exec(t);
      if (m) {
        const la = gaz.lookup(m[1]!) ?? firstMention(m[1]!, gaz);
        if (la) return { la, source: 'text:title' };
      }
    }
  }
  const scores = new Map<LocalAuthority, number>();
  let chars = 0;
  for (const b of blocks) {
    const weight = chars < 1500 ? 5 : 1;
    chars += b.text.length;
    gaz.mentionPattern.lastIndex = 0;
    for (const m of b.text.matchAll(gaz.mentionPattern)) {
      const la = gaz.fromMention(m[0]);
      if (la) scores.set(la, (scores.get(la) ?? 0) + weight);
    }
    if (chars > 200_000) break;
  }
  let best: LocalAuthority | undefined;
  let bestScore = 0;
  for (const [la, s] of [...scores].sort((a, b) => a[0].name.localeCompare(b[0].name))) {
    if (s > bestScore) [best, bestScore] = [la, s];
  }
  return best ? { la: best, source: 'text:mentions' } : { source: 'none' };
}

function firstMention(s: string, gaz: Gazetteer): LocalAuthority | undefined {
  gaz.mentionPattern.lastIndex = 0;
  const m = gaz.mentionPattern.exec(s);
  gaz.mentionPattern.lastIndex = 0;
  return m ? gaz.fromMention(m[0]) : undefined;
}

/** Header fields of council committee papers (an Ofsted report has none of them). */
const COUNCIL_SIGNALS =
  /\b(?:decision[- ]maker|report to|report of|report from|wards? affected|key decision|contact officers?|portfolio holder|date of (?:decision|meeting)|responsible director|report author|cabinet member|background papers|forward plan|exempt appendices)\b/gi;

/** Report titles, at the start of a line of the title page: the kind of document they head. */
const TITLES: [DocumentType, RegExp][] = [
  [
    'full_inspection',
    /^(?:re-?)?inspection of (?:[\w’'&,-]+\s+){0,8}(?:local\s+authority\s+)?children.s\s+(?:social\s+care\s+)?services|^(?:re-?)?inspection of services for children in need|^inspection of looked after children|^inspection of safeguarding and looked after children/im,
  ],
  ['lscb_review', /^review of the effectiveness of the local safeguarding children board/im],
  ['jtai', /^joint targeted area inspection/im],
  ['monitoring_visit', /^monitoring visit (?:to|of)\b/im],
  ['focused_visit', /^focused visit (?:to|of)\b/im],
];

/** Which title comes first in the text, if any. */
function titleType(text: string): DocumentType | undefined {
  let best: { type: DocumentType; at: number } | undefined;
  for (const [type, re] of TITLES) {
    const m = re.exec(text);
    if (m && (!best || m.index < best.at)) best = { type, at: m.index };
  }
  return best?.type;
}

/**
 * Infer the document type: a council paper by its template fields; an Ofsted document by the title
 * on its first page (`title`: its first lines before running headers are removed, since a report
 * repeats its title on every page), else by what its opening mentions.
 */
export function inferDocumentType(head: string, title = ''): DocumentType {
  const opening = head.slice(0, 600);
  const signals = new Set((head.slice(0, 2500).match(COUNCIL_SIGNALS) ?? []).map((s) => s.toLowerCase())).size;
  if (signals >= 2) return 'council_report';
  const titled = titleType(title.slice(0, 600)) ?? titleType(opening);
  if (titled) return titled;
  if (/joint targeted area inspection/i.test(opening)) return 'jtai';
  if (/monitoring visit/i.test(opening)) return 'monitoring_visit';
  if (/focused visit/i.test(opening)) return 'focused_visit';
  if (/^\s*dear\b/im.test(head.slice(0, 2500))) return 'ofsted_letter';
  if (/\b(?:said|says|told)\b/i.test(head.slice(0, 3000))) return 'news';
  return 'other';
}

export { asDocumentType };

/** Framework titles: the single inspection framework names its reports this way; ILACS and the earlier inspections theirs. */
const FRAMEWORK_TITLES: [Framework, RegExp][] = [
  ['sif', /^(?:re-?)?inspection of services for children in need of help and protection|^review of the effectiveness of the local safeguarding children board/im],
  ['ilacs', /^inspection of (?:[\w’'&,-]+\s+){0,8}local\s+authority\s+children.s\s+services|^inspection of children.s\s+social\s+care\s+services/im],
  ['earlier', /^inspection of safeguarding and looked after children|^inspection of looked after children/im],
];

/**
 * The framework of an Ofsted document: the one its title names, else the one in force on the
 * first of `dates` that is a date (inspection, then publication). Council papers and news have none.
 */
export function inferFramework(type: DocumentType, text: string, dates: string[]): Framework | '' {
  if (!OFSTED_DOCUMENT_TYPES.has(type)) return '';
  for (const [fw, re] of FRAMEWORK_TITLES) if (re.test(text)) return fw;
  for (const d of dates) {
    const fw = frameworkOn(d);
    if (fw) return fw;
  }
  return '';
}

/** Grade words (and the split "Requires improvement ... to be good"), removed to read a row's label. */
const GRADE_WORDS = new RegExp(`\\b(?:${JUDGEMENT_OR_ADEQUATE}|to be good)\\b`, 'gi');
/** A judgement-area row's label starts so. */
const AREA_ROW_START = /^the (?:impact|experiences)/i;
/** Judgement areas (ILACS and the earlier single inspection framework), stable ids. */
const AREAS: [string, RegExp][] = [
  ['impact_of_leaders', /impact of leaders/i],
  ['children_in_care_and_care_leavers', /children in care and\s+care leavers/i],
  ['help_and_protection', /children who need help\s+and\s+protection/i],
  ['children_in_care', /children in care|children looked after/i],
  ['care_leavers', /(?:progress of|experiences? (?:and progress )?of) care leavers|^\W*care leavers/i],
  ['adoption_performance', /adoption performance/i],
  ['leadership_management_governance', /leadership,? management and governance/i],
  ['lscb', /local safeguarding children board|\blscb\b/i],
];
const OVERALL_ROW = /overall effectiveness|overall judgement/i;
const OVERALL_SENTENCE = [
  new RegExp(`\\bthe overall judgement is (?:that )?(?:children.s services (?:are |is )?|the local authority is )?(${JUDGEMENT})\\b`, 'i'),
  new RegExp(`^children.s services in .{2,80}? (?:are |is )?(${JUDGEMENT})\\b`, 'i'),
  new RegExp(`^overall effectiveness\\s*(?:\\||:|is)?\\s*(${JUDGEMENT})\\b`, 'i'),
];
const GRADE_LINE = new RegExp(`^grade [1-4]\\s*\\((${JUDGEMENT_OR_ADEQUATE})\\)$`, 'i');
const AREA_HEADING = new RegExp(`^(?:the )?(?:experiences and progress of .+|impact of leaders .+):\\s*(${JUDGEMENT})\\s*$`, 'i');

/** The LSCB review's own judgement ("The Local Safeguarding Children Board requires improvement"). */
const LSCB_SENTENCE = new RegExp(`^the (?:local safeguarding children board|lscb)(?: \\([^)]*\\))? (?:is |are )?(${JUDGEMENT})\\b`, 'i');
/** A judgement-table row the layout broke into a paragraph: short, on the first pages. */
const BROKEN_ROW_MAX_CHARS = 140;

/**
 * A judgement-table row whose grade the layout set between the lines of its label, read as one
 * paragraph ("Requires improvement Overall effectiveness to be good", "The impact of leaders on
 * social work practice with children Good and families"): the grade words wherever they are.
 */
function brokenRowGrade(t: string, label: RegExp): Grade | undefined {
  if (t.length > BROKEN_ROW_MAX_CHARS || !label.test(t) || /[.;]$/.test(t)) return undefined;
  return parseGrade(t.replace(label, ' '));
}

/** Judgement grades from the judgement table (first pages) and the graded section headings. */
export function extractGrades(blocks: TextBlock[], type: DocumentType = 'full_inspection'): Grades {
  const grades: Grades = { areas: {} };
  const early = blocks.filter((b) => b.page <= 4).slice(0, 120);
  for (const b of early) {
    const t = b.text.replace(/\s+/g, ' ');
    if (type === 'lscb_review' && !grades.overall) {
      const m = LSCB_SENTENCE.exec(t);
      if (m) grades.overall = parseGrade(m[1]!);
    }
    if (b.kind === 'paragraph' && b.page <= 2) {
      const overall = brokenRowGrade(t, OVERALL_ROW);
      if (overall) {
        grades.overall ??= overall;
        continue;
      }
      const g = brokenRowGrade(t, AREA_ROW_START);
      if (g) {
        const label = t.replace(GRADE_WORDS, ' ').replace(/\s+/g, ' ');
        for (const [id, re] of AREAS) {
          if (re.test(label)) {
            grades.areas[id] ??= g;
            break;
          }
        }
      }
    }
    if (b.kind === 'table_row' || (b.kind === 'list_item' && t.includes(' | '))) {
      const cells = t.split(' | ');
      if (cells.length < 2) continue;
      const grade = parseGrade(cells.slice(1).join(' '));
      if (!grade) continue;
      const label = cells[0]!;
      if (OVERALL_ROW.test(label)) {
        grades.overall ??= grade;
        continue;
      }
      for (const [id, re] of AREAS) {
        if (re.test(label)) {
          grades.areas[id] ??= grade;
          break;
        }
      }
    } else if (b.kind !== 'heading' || !AREA_HEADING.test(t)) {
      for (const re of OVERALL_SENTENCE) {
        const m = re.exec(t);
        if (m) {
          grades.overall ??= parseGrade(m[1]!);
          break;
        }
      }
    }
  }
  // The 2013 framework: "Overall effectiveness of services for ..." then "Grade 3 (Adequate)".
  const opening = blocks.slice(0, 400);
  for (let k = 1; k < opening.length && !grades.overall; k++) {
    const gm = GRADE_LINE.exec(opening[k]!.text);
    if (gm && /overall effectiveness/i.test(opening[k - 1]!.text)) grades.overall = parseGrade(gm[1]!);
  }
  for (const b of blocks) {
    if (b.kind !== 'heading') continue;
    const m = AREA_HEADING.exec(b.text.replace(/\s+/g, ' '));
    if (!m) continue;
    const g = parseGrade(m[1]!);
    if (!g) continue;
    for (const [id, re] of AREAS) {
      if (re.test(b.text)) {
        grades.areas[id] ??= g;
        break;
      }
    }
  }
  return grades;
}

export interface MetaInput {
  manifest?: Record<string, string>;
  /** What the folder layout says (ingest/layout.ts), in the manifest's column names; the manifest wins. */
  layout?: Record<string, string>;
  blocks: TextBlock[];
  head: string;
  /** The first lines of the first page before cleaning (a report's title is also its running header). */
  title?: string;
  file: string;
  /** Warnings are appended here (e.g. a manifest council the text contradicts). */
  warnings: string[];
}

/** Build the metadata record. Manifest values win, then the folder layout's; every field records its provenance. */
export function buildMeta(input: MetaInput): DocumentMeta {
  const gaz = Gazetteer.load();
  const given = input.manifest ?? {};
  const m: Record<string, string> = { ...(input.layout ?? {}) };
  for (const [k, v] of Object.entries(given)) if (v !== '' || !(k in m)) m[k] = v;
  // A manifest's `council` column beats the layout's local_authority too.
  if ((given.council ?? '') !== '' && (given.local_authority ?? '') === '') m.local_authority = given.council!;
  /** Where a value read from `m` came from: the manifest, or the folder and file names ('path'). */
  const from = (...keys: string[]): 'manifest' | 'path' => (keys.some((k) => (given[k] ?? '') !== '') ? 'manifest' : 'path');
  const said = (...keys: string[]) => (from(...keys) === 'manifest' ? 'the manifest' : 'the folder layout');
  const provenance: Record<string, string> = {};
  const known = new Set(['file', 'local_authority', 'council', 'document_type', 'date', 'published', 'ons_code', 'framework']);
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) if (!known.has(k) && v !== '') extra[k] = v;

  // Council
  let council = '';
  let onsCode = '';
  let region = '';
  const manifestCouncil = m.local_authority || m.council || '';
  const inferred = inferCouncil(input.blocks, gaz);
  if (manifestCouncil) {
    const la = (m.ons_code && gaz.byOnsCode(m.ons_code)) || gaz.lookup(manifestCouncil);
    if (la) {
      council = la.name;
      onsCode = la.onsCode;
      region = la.region;
    } else {
      council = manifestCouncil;
      input.warnings.push(`council "${manifestCouncil}" from ${said('local_authority', 'council')} is not in the gazetteer`);
    }
    provenance.council = from('local_authority', 'council');
    if (inferred.la && la && inferred.la !== la) {
      input.warnings.push(`${from('local_authority', 'council') === 'manifest' ? 'manifest' : 'folder'} council "${manifestCouncil}" differs from the text, which names ${inferred.la.name}`);
    }
  } else if (inferred.la) {
    council = inferred.la.name;
    onsCode = inferred.la.onsCode;
    region = inferred.la.region;
    provenance.council = inferred.source;
  } else provenance.council = 'none';
  provenance.onsCode = onsCode ? provenance.council : 'none';
  provenance.region = region ? provenance.council : 'none';

  // Date
  let date = '';
  const manifestDate = m.date || m.published || '';
  if (manifestDate) {
    date = parseDate(manifestDate);
    if (date) provenance.date = from('date', 'published');
    else input.warnings.push(`date "${manifestDate}" from ${said('date', 'published')} is not a date`);
  }
  if (!date) {
    const g = inferDate(input.blocks, input.head);
    date = g.date;
    provenance.date = g.source;
  }

  // Publication and inspection dates, named as such.
  let published = m.published ? parseDate(m.published) : '';
  provenance.published = published ? from('published') : 'none';
  if (!published) {
    published = inferPublished(input.blocks);
    if (published) provenance.published = 'text';
  }
  const onSite = inferInspectionDates(input.blocks, input.head);
  provenance.inspectionDates = onSite.end ? 'text' : 'none';

  // Document type
  let documentType = asDocumentType(m.document_type);
  if (documentType) provenance.documentType = from('document_type');
  else {
    if (m.document_type) input.warnings.push(`document_type "${m.document_type}" from ${said('document_type')} is not a known type`);
    documentType = inferDocumentType(input.head, input.title);
    provenance.documentType = 'text';
  }
  const titleText = `${input.title ?? ''}\n${input.head.slice(0, 600)}`;
  let framework: Framework | '' = asFramework(m.framework) ?? '';
  provenance.framework = framework ? 'manifest' : 'none';
  if (!framework) {
    framework = inferFramework(documentType, titleText, [onSite.start, onSite.end, published, date]);
    if (framework) provenance.framework = 'text';
  }

  // Grades: only Ofsted inspection reports (and LSCB reviews) carry a judgement.
  const grades = GRADED_TYPES.has(documentType) ? extractGrades(input.blocks, documentType) : { areas: {} };
  provenance.grades = grades.overall || Object.keys(grades.areas).length ? 'text' : 'none';
  return { council, onsCode, region, date, published, inspectionStart: onSite.start, inspectionEnd: onSite.end, documentType, framework, grades, provenance, extra };
}

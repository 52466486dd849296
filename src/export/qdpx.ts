/**
 * `project.qdpx`: the coding as a REFI-QDA project (QDA-XML 1.0, the exchange format NVivo,
 * ATLAS.ti, MAXQDA and QualCoder import). A zip of `project.qde` and each document's extracted
 * text under `Sources/`:
 *
 * - the codebook becomes codes: the labels (strength, area for improvement, mixed) under "Label",
 *   and each theme under its category;
 * - every evaluative sentence is a plain-text selection at its characters in the source text
 *   (segment/text.ts: code points, end exclusive), coded with its label and its themes, each
 *   coding by the tool's user and carrying the sentence's evidence in words as a note;
 * - each council is a case holding its documents, with variables (ONS code, region, latest overall
 *   grade, focus and statistical neighbour), and each document carries its own (type, dates,
 *   framework, inspection, grade), so a council × theme matrix query works on import.
 *
 * Every GUID is derived from content (the codebook entry, the document's bytes, the sentence's
 * place), entries have a fixed time stamp, and nothing depends on the clock: the same corpus gives
 * the same file. The XML is made a document (or 2,000 sentences) at a time and compressed on zlib's
 * threads meanwhile (zip-entry.ts).
 */
import { hash } from 'node:crypto';
import { join } from 'node:path';
import { strToU8 } from 'fflate';
import type { Aggregates } from '../aggregate/index.js';
import type { Benchmark } from '../aggregate/benchmark.js';
import type { Codebook } from '../theme/codebook.js';
import type { AnalysedDocument, DocumentFinding, Label } from '../types.js';
import { documentText } from '../segment/text.js';
import { EVALUATIVE_LABELS, LABEL_COLOURS, LABEL_NAMES } from '../vocab/labels.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { writeFileAtomic } from '../util/fs.js';
import { ZipWriter } from './zip-entry.js';

export const QDPX_FILE = 'project.qdpx';

/** A GUID derived from what it names (RFC 4122 layout, version 5 style bits over SHA-256). */
export function contentGuid(...parts: string[]): string {
  const h = hash('sha256', `${TOOL_NAME}\u0000${parts.join('\u0000')}`, 'hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// XML 1.0 allows tab, LF, CR and U+0020 on, without lone surrogates, U+FFFE and U+FFFF.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text for an XML attribute: escaped, characters XML cannot hold replaced by U+FFFD. */
export function xml(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Text for XML element content (quotes need no escape there). */
function xmlText(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

type VariableType = 'Text' | 'Boolean' | 'Date';
interface Variable {
  key: string;
  name: string;
  type: VariableType;
  description: string;
}

/** Variables of a council (case). */
const CASE_VARIABLES: readonly Variable[] = [
  { key: 'ons_code', name: 'ONS code', type: 'Text', description: 'ONS code of the local authority' },
  { key: 'region', name: 'Region', type: 'Text', description: 'Region of England' },
  { key: 'latest_grade', name: 'Latest overall grade', type: 'Text', description: 'Overall effectiveness at the latest graded inspection in the corpus' },
  { key: 'latest_graded', name: 'Latest graded inspection', type: 'Date', description: 'Last day on site (or publication date) of that inspection' },
  { key: 'is_focus', name: 'Focus council', type: 'Boolean', description: 'The council given with --focus' },
  { key: 'is_peer', name: 'Statistical neighbour', type: 'Boolean', description: "One of the focus council's statistical neighbours (--peers)" },
];

/** Variables of a document (source). */
const SOURCE_VARIABLES: readonly Variable[] = [
  { key: 'council', name: 'Council', type: 'Text', description: 'Local authority the document is about' },
  { key: 'document_type', name: 'Document type', type: 'Text', description: 'full_inspection, focused_visit, council_report, ... (README, documents.csv)' },
  { key: 'date', name: 'Document date', type: 'Date', description: 'Date of the document (manifest, else its text)' },
  { key: 'inspection', name: 'Inspection', type: 'Text', description: 'Inspection the document belongs to (inspections.csv)' },
  { key: 'inspection_kind', name: 'Inspection kind', type: 'Text', description: 'Kind of that inspection (inspections.csv kind)' },
  { key: 'framework', name: 'Framework', type: 'Text', description: 'earlier, sif (2013-2017) or ilacs (2018 on)' },
  { key: 'inspection_start', name: 'Inspection start', type: 'Date', description: 'First day on site' },
  { key: 'inspection_end', name: 'Inspection end', type: 'Date', description: 'Last day on site' },
  { key: 'published', name: 'Published', type: 'Date', description: 'Publication date' },
  { key: 'overall_grade', name: 'Overall grade', type: 'Text', description: "Overall effectiveness judgement of the document's inspection" },
  { key: 'in_window', name: 'In comparison window', type: 'Boolean', description: 'Counted in council_themes.csv and the charts (--period, --framework)' },
];

const variableGuid = (v: Variable) => contentGuid('variable', v.key);

function variableValue(v: Variable, value: string | boolean | undefined): string {
  if (value === undefined || value === '') return '';
  if (v.type === 'Date' && (typeof value !== 'string' || !ISO_DATE.test(value))) return '';
  const element = v.type === 'Boolean' ? 'BooleanValue' : v.type === 'Date' ? 'DateValue' : 'TextValue';
  return `<VariableValue><VariableRef targetGUID="${variableGuid(v)}"/><${element}>${xml(String(value))}</${element}></VariableValue>`;
}

export interface QdpxOptions {
  /** Project name (default: "inspection-themes"). */
  name?: string;
}

/** Sentences whose XML is joined into one piece of the project file (a long document is made in many). */
const PUT_SENTENCES = 2000;

/** The source text file of a document inside the zip. */
const sourcePath = (guid: string) => `Sources/${guid}.txt`;

/** The evidence of a coded sentence in words (the note on its selection). */
function evidenceNote(f: DocumentFinding, duplicateOf: string | undefined): string {
  const lines = [`${LABEL_NAMES[f.label]} (confidence ${f.confidence.toFixed(2)}), sentence ${f.id}${f.page ? `, page ${f.page}` : ''}, paragraph ${f.block}.`];
  // Each piece: what it is, what matched, the label it points to and its weight (as in sentences.csv's evidence).
  if (f.evidence.length) lines.push(`Label evidence: ${f.evidence.map((e) => `${e.kind} ${e.value} -> ${e.points} (${e.weight.toFixed(2)})`).join('; ')}.`);
  for (const t of f.themes) lines.push(`Theme ${t.theme}: ${t.terms.join(', ') || 'model'}.`);
  if (duplicateOf) lines.push(`Repeats ${duplicateOf} of the same inspection: counted there, not here.`);
  return lines.join('\n');
}

/**
 * The project as zip chunks (made one document at a time, compressed by zlib on its threads while
 * the next document's XML is made; see zip-entry.ts). Every evaluative sentence of every document
 * (in or out of the comparison window) is coded.
 */
export async function qdpxChunks(agg: Aggregates, codebook: Codebook, bench: Pick<Benchmark, 'focus' | 'focusPeers'>, opts: QdpxOptions = {}): Promise<Uint8Array[]> {
  const zip = new ZipWriter();
  const user = contentGuid('user', TOOL_NAME);
  const labelCode = Object.fromEntries(EVALUATIVE_LABELS.map((l) => [l, contentGuid('code', 'label', l)])) as Record<Label, string>;
  const themeCode = new Map(codebook.themes.map((t) => [t.id, contentGuid('code', 'theme', t.id)]));
  const docs = agg.all.documents;
  const sourceGuid = new Map(docs.map((d) => [d.id, contentGuid('source', d.id, d.sha256)]));
  const qde = zip.entry('project.qde');
  const put = (s: string) => qde.push(strToU8(s));

  put('<?xml version="1.0" encoding="utf-8"?>\n');
  put(`<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" name="${xml(opts.name ?? TOOL_NAME)}" origin="${xml(`${TOOL_NAME} ${VERSION}`)}" creatingUserGUID="${user}">\n`);
  put(`<Users><User guid="${user}" name="${xml(`${TOOL_NAME} (automatic coding)`)}" id="IT"/></Users>\n`);

  // Codes: the labels, then the themes by category.
  put('<CodeBook><Codes>\n');
  put(`<Code guid="${contentGuid('code', 'labels')}" name="Label" isCodable="false"><Description>Strength, area for improvement or mixed, as the sentence's label (neutral sentences are not coded)</Description>\n`);
  for (const l of EVALUATIVE_LABELS) put(`<Code guid="${labelCode[l]}" name="${xml(LABEL_NAMES[l])}" isCodable="true" color="${LABEL_COLOURS[l]}"/>\n`);
  put('</Code>\n');
  for (const c of codebook.categories) {
    const themes = codebook.themes.filter((t) => t.category === c.id);
    if (!themes.length) continue;
    put(`<Code guid="${contentGuid('code', 'category', c.id)}" name="${xml(c.name)}" isCodable="false"><Description>${xmlText(`Theme category ${c.id}`)}</Description>\n`);
    for (const t of themes) put(`<Code guid="${themeCode.get(t.id)}" name="${xml(t.name)}" isCodable="true"><Description>${xmlText(`${t.id}: ${t.description}`)}</Description></Code>\n`);
    put('</Code>\n');
  }
  put('</Codes></CodeBook>\n');

  put('<Variables>\n');
  for (const v of [...CASE_VARIABLES, ...SOURCE_VARIABLES]) put(`<Variable guid="${variableGuid(v)}" name="${xml(v.name)}" typeOfVariable="${v.type}"><Description>${xmlText(v.description)}</Description></Variable>\n`);
  put('</Variables>\n');

  // Cases: one per council, holding its documents.
  const inspectionById = new Map(agg.inspections.map((r) => [r.id, r]));
  const peers = new Set(bench.focusPeers);
  const docsOf = new Map<string, AnalysedDocument[]>();
  for (const d of docs) {
    const c = agg.councilOf[d.id]!;
    const list = docsOf.get(c);
    if (list) list.push(d);
    else docsOf.set(c, [d]);
  }
  const byCouncil = [...docsOf.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const caseVar = new Map(CASE_VARIABLES.map((v) => [v.key, v]));
  if (byCouncil.length) put('<Cases>\n');
  for (const council of byCouncil) {
    const own = docsOf.get(council)!;
    const graded = agg.inspections.filter((r) => r.council === council && r.overallGrade).sort((a, b) => cmpDates(a.inspectionEnd || a.published, b.inspectionEnd || b.published));
    const latest = graded.at(-1);
    const values = [
      variableValue(caseVar.get('ons_code')!, own[0]!.meta.onsCode),
      variableValue(caseVar.get('region')!, own[0]!.meta.region),
      variableValue(caseVar.get('latest_grade')!, latest?.overallGrade),
      variableValue(caseVar.get('latest_graded')!, latest ? latest.inspectionEnd || latest.published : undefined),
      variableValue(caseVar.get('is_focus')!, bench.focus ? council === bench.focus : undefined),
      variableValue(caseVar.get('is_peer')!, bench.focus ? peers.has(council) : undefined),
    ].join('');
    put(`<Case guid="${contentGuid('case', council)}" name="${xml(council)}"><Description>${xmlText(`${council}: ${own.length} document${own.length === 1 ? '' : 's'}`)}</Description>${values}${own.map((d) => `<SourceRef targetGUID="${sourceGuid.get(d.id)}"/>`).join('')}</Case>\n`);
  }
  if (byCouncil.length) put('</Cases>\n');

  // Sources: each document's text (a file of its own) with its coded sentences and variables.
  const srcVar = new Map(SOURCE_VARIABLES.map((v) => [v.key, v]));
  const coded = (f: DocumentFinding) => f.label !== 'neutral';
  if (docs.length) put('<Sources>\n');
  for (const d of docs) {
    const guid = sourceGuid.get(d.id)!;
    const m = d.meta;
    const council = agg.councilOf[d.id]!;
    const inspection = inspectionById.get(agg.inspectionOf[d.id]!);
    put(`<TextSource guid="${guid}" name="${xml(d.id)}" plainTextPath="internal://${guid}.txt" creatingUser="${user}"><Description>${xmlText([council, m.documentType, m.date].filter(Boolean).join(', '))}</Description>\n`);
    const parts: string[] = [];
    for (const f of d.findings) {
      if (!coded(f)) continue;
      const note = contentGuid('note', guid, f.id);
      const codes = [labelCode[f.label], ...f.themes.map((t) => themeCode.get(t.theme)).filter((g): g is string => !!g)];
      const codings = codes.map((code) => `<Coding guid="${contentGuid('coding', guid, f.id, code)}" creatingUser="${user}"><CodeRef targetGUID="${code}"/><NoteRef targetGUID="${note}"/></Coding>`).join('');
      parts.push(`<PlainTextSelection guid="${contentGuid('selection', guid, f.id)}" name="${xml(f.id)}" startPosition="${f.start}" endPosition="${f.end}">${codings}</PlainTextSelection>\n`);
      if (parts.length === PUT_SENTENCES) {
        put(parts.join(''));
        parts.length = 0;
        await zip.keepUp();
      }
    }
    put(parts.join(''));
    put(
      [
        variableValue(srcVar.get('council')!, council),
        variableValue(srcVar.get('document_type')!, m.documentType),
        variableValue(srcVar.get('date')!, m.date),
        variableValue(srcVar.get('inspection')!, agg.inspectionOf[d.id]),
        variableValue(srcVar.get('inspection_kind')!, inspection?.kind),
        variableValue(srcVar.get('framework')!, m.framework),
        variableValue(srcVar.get('inspection_start')!, m.inspectionStart),
        variableValue(srcVar.get('inspection_end')!, m.inspectionEnd),
        variableValue(srcVar.get('published')!, m.published),
        variableValue(srcVar.get('overall_grade')!, inspection?.overallGrade || m.grades?.overall),
        variableValue(srcVar.get('in_window')!, agg.inWindow[d.id] ?? false),
      ].join(''),
    );
    put('</TextSource>\n');
    await zip.keepUp();
  }
  if (docs.length) put('</Sources>\n');

  // Notes: the evidence of each coded sentence (the schema allows no empty <Notes>).
  const anyCoded = docs.some((d) => d.findings.some(coded));
  if (anyCoded) put('<Notes>\n');
  for (const d of docs) {
    const guid = sourceGuid.get(d.id)!;
    const parts: string[] = [];
    for (const f of d.findings) {
      if (!coded(f)) continue;
      parts.push(`<Note guid="${contentGuid('note', guid, f.id)}" name="${xml(`Evidence: ${f.id}`)}"><PlainTextContent>${xmlText(evidenceNote(f, agg.duplicateOf[f.id]))}</PlainTextContent></Note>\n`);
      if (parts.length === PUT_SENTENCES) {
        put(parts.join(''));
        parts.length = 0;
        await zip.keepUp();
      }
    }
    put(parts.join(''));
    await zip.keepUp();
  }
  if (anyCoded) put('</Notes>\n');
  put('</Project>\n');
  qde.push(new Uint8Array(0), true);

  for (const d of docs) {
    const text = zip.entry(sourcePath(sourceGuid.get(d.id)!));
    text.push(strToU8(documentText(d.findings)), true);
    await zip.keepUp();
  }
  return zip.finish();
}

function cmpDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stage 6c: write project.qdpx into outDir (atomically); returns its name. */
export async function writeQdpx(agg: Aggregates, codebook: Codebook, bench: Pick<Benchmark, 'focus' | 'focusPeers'>, outDir: string, opts: QdpxOptions = {}): Promise<string> {
  await writeFileAtomic(join(outDir, QDPX_FILE), await qdpxChunks(agg, codebook, bench, opts));
  return QDPX_FILE;
}

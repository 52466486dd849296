import { join } from 'node:path';
import Papa from 'papaparse';
import type { Aggregates } from '../aggregate/index.js';
import { writeFileAtomic } from '../util/fs.js';

/** Neutralise spreadsheet formula injection in a text cell. */
export function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export function toCsv(columns: string[], rows: (string | number)[][]): string {
  return Papa.unparse({ fields: columns, data: rows.map((r) => r.map((c) => (typeof c === 'string' ? safeCell(c) : c))) }, { newline: '\n' }) + '\n';
}

const fmt = (x: number | null) => (x === null ? '' : x.toFixed(4));

/** Stage 6a: write the tidy CSV exports. */
export async function writeCsvs(agg: Aggregates, outDir: string): Promise<string[]> {
  const councilOf = new Map(agg.documents.map((d) => [d.id, d.meta]));
  const sentences = toCsv(
    ['doc', 'council', 'ons_code', 'date', 'document_type', 'section', 'sentence_id', 'text', 'label', 'confidence', 'themes', 'evidence'],
    agg.findings.map((f) => {
      const m = councilOf.get(f.doc)!;
      return [f.doc, m.council, m.onsCode, m.date, m.documentType, f.sectionPath.join(' > '), f.id, f.text, f.label, f.confidence.toFixed(3), f.themes.map((t) => t.theme).join(';'), f.evidence.map((e) => `${e.kind}:${e.value}->${e.points}`).join('; ')];
    }),
  );
  const documents = toCsv(
    ['doc', 'council', 'ons_code', 'date', 'document_type', 'overall_grade', 'sentences', 'strength', 'improvement', 'mixed', 'neutral'],
    agg.documents.map((d) => {
      const c = (code: string) => d.findings.filter((f) => f.code === code).length;
      return [d.id, d.meta.council, d.meta.onsCode, d.meta.date, d.meta.documentType, d.meta.grades.overall ?? '', d.findings.length, c('S'), c('I'), c('M'), c('N')];
    }),
  );
  const councilThemes = toCsv(
    ['council', 'ons_code', 'theme', 'strengths', 'improvements', 'mixed', 'theme_evaluative', 'council_evaluative', 'improvement_share', 'net_balance', 'documents'],
    agg.councilThemes.map((r) => [r.council, r.onsCode, r.theme, r.strengths, r.improvements, r.mixed, r.themeEvaluative, r.evaluative, fmt(r.improvementShare), fmt(r.netBalance), r.documents.join(';')]),
  );
  const files: [string, string][] = [
    ['sentences.csv', sentences],
    ['documents.csv', documents],
    ['council_themes.csv', councilThemes],
  ];
  for (const [name, body] of files) await writeFileAtomic(join(outDir, name), body);
  return files.map(([n]) => n);
}

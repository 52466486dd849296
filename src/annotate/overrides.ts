/**
 * `run --overrides <csv>`: a researcher's own coding forced for the sentences it names, in every
 * output, without retraining. A row matches a sentence by `sentence_id`, or else by its text
 * (case and spacing folded; restricted to `doc` when given). The overridden finding keeps its
 * text and place; its label, confidence (1) and themes are the researcher's, and its evidence says
 * so (kind 'override', with the file and line). Rows that match no sentence are reported.
 */
import type { AnalysedDocument, DocumentFinding, Evidence, ThemeHit } from '../types.js';
import { CODE_TO_LABEL } from '../types.js';
import { normaliseText, type Annotation, type AnnotationFile } from './annotations.js';

export interface OverrideResult {
  documents: AnalysedDocument[];
  /** Sentences whose coding was replaced. */
  applied: number;
  /** Rows that matched no sentence of the corpus. */
  unmatched: Annotation[];
}

function override(f: DocumentFinding, a: Annotation, file: string): DocumentFinding {
  const evidence: Evidence[] = [{ kind: 'override', value: `researcher coding (${file}, line ${a.line}); the tool said ${f.code}`, points: a.code, weight: 1 }];
  const themes: ThemeHit[] = a.code === 'N' ? [] : a.themes ? a.themes.map((t) => ({ theme: t, terms: [`researcher coding (${file}, line ${a.line})`] })) : f.themes;
  return { ...f, code: a.code, label: CODE_TO_LABEL[a.code], confidence: 1, evidence, themes };
}

export function applyOverrides(documents: readonly AnalysedDocument[], file: AnnotationFile): OverrideResult {
  const byId = new Map<string, Annotation>();
  const byText = new Map<string, Annotation[]>();
  for (const a of file.rows) {
    if (a.sentenceId) byId.set(a.sentenceId, a);
    else if (a.text) {
      const k = normaliseText(a.text);
      if (!byText.has(k)) byText.set(k, []);
      byText.get(k)!.push(a);
    }
  }
  const used = new Set<Annotation>();
  let applied = 0;
  const out = documents.map((d) => {
    let changed = false;
    const findings = d.findings.map((f) => {
      const a = byId.get(f.id) ?? byText.get(normaliseText(f.text))?.find((x) => !x.doc || x.doc === f.doc);
      if (!a) return f;
      used.add(a);
      applied++;
      changed = true;
      return override(f, a, file.path);
    });
    return changed ? { ...d, findings } : d;
  });
  return { documents: out, applied, unmatched: file.rows.filter((a) => !used.has(a)) };
}

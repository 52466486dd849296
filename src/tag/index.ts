import type { Finding, Sentence, LabelCode, Evidence } from '../types.js';
import { CODE_TO_LABEL } from '../types.js';

const STRENGTH = ['effective', 'strong', 'good', 'outstanding', 'well', 'timely', 'improving', 'skilled'];
const WEAKNESS = ['not', 'inconsistent', 'too', 'delay', 'weak', 'poor', 'variable', 'inadequate'];

/** Stage 3: label one sentence S/I/M/N with confidence and evidence. */
export function tagSentence(s: Sentence): Finding {
  const evidence: Evidence[] = [];
  for (const t of s.tokens) {
    if (STRENGTH.includes(t)) evidence.push({ kind: 'cue', value: t, points: 'S', weight: 1 });
    if (WEAKNESS.includes(t)) evidence.push({ kind: 'cue', value: t, points: 'I', weight: 1 });
  }
  const hasS = evidence.some((e) => e.points === 'S');
  const hasI = evidence.some((e) => e.points === 'I');
  const code: LabelCode = s.isHeading ? 'N' : hasS && hasI ? 'M' : hasS ? 'S' : hasI ? 'I' : 'N';
  if (evidence.length === 0) evidence.push({ kind: 'default', value: 'no cue', points: 'N', weight: 1 });
  return { ...s, code, label: CODE_TO_LABEL[code], confidence: 0.5, evidence, clauses: [] };
}

export function tagSentences(sentences: Sentence[]): Finding[] {
  return sentences.map(tagSentence);
}

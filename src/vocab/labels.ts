/** The sentence labels (codebook.md): code, name in outputs and name a reader sees. */
import type { Label, LabelCode } from '../types.js';

export const LABELS: readonly Label[] = ['strength', 'improvement', 'mixed', 'neutral'];

/** What a reader sees for each label (report, briefing, workbook, QDA codes). */
export const LABEL_NAMES: Readonly<Record<Label, string>> = { strength: 'Strength', improvement: 'Area for improvement', mixed: 'Mixed', neutral: 'Neutral' };

export const LABEL_CODES: Readonly<Record<Label, LabelCode>> = { strength: 'S', improvement: 'I', mixed: 'M', neutral: 'N' };

/** The evaluative labels: those counted in shares and coded in QDA projects. */
export const EVALUATIVE_LABELS: readonly Label[] = ['strength', 'improvement', 'mixed'];

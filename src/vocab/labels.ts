/**
 * What a reader sees of the sentence labels (codebook.md): their names and colours, one definition
 * for the charts, the report, the briefing and the QDA codes. The labels and their S/I/M/N codes
 * themselves are in types.ts (LABELS, LABEL_CODES, CODE_TO_LABEL, LABEL_TO_CODE).
 */
import type { Label } from '../types.js';

/** What a reader sees for each label (report, briefing, charts, QDA codes). */
export const LABEL_NAMES: Readonly<Record<Label, string>> = { strength: 'Strength', improvement: 'Area for improvement', mixed: 'Mixed', neutral: 'Neutral' };

/** Colour-blind safe (ColorBrewer PuOr): blue for strengths, orange for areas for improvement, light orange for mixed. */
export const LABEL_COLOURS: Readonly<Record<Label, string>> = { strength: '#2166ac', improvement: '#e66101', mixed: '#fdb863', neutral: '#bdbdbd' };

/** The evaluative labels: those counted in shares and coded in QDA projects. */
export const EVALUATIVE_LABELS: readonly Label[] = ['strength', 'improvement', 'mixed'];

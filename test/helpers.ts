/** Builders for records the tests hand to later stages (the text in them is always the test's own), and shared checks. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import { makeSentence } from '../src/segment/sentence.js';
import type { AnalysedDocument, DocumentMeta, Evidence, Finding, LabelCode, ThemedFinding } from '../src/types.js';
import { CODE_TO_LABEL } from '../src/types.js';

export interface FindingSpec {
  text: string;
  code: LabelCode;
  themes?: string[];
  sectionPath?: string[];
  confidence?: number;
  evidence?: Evidence[];
}

/** A tagged finding (no themes yet) for a sentence at `index` of `doc`. */
export function finding(doc: string, index: number, spec: FindingSpec): Finding {
  return {
    ...makeSentence({ doc, index, text: spec.text, sectionPath: spec.sectionPath ?? [] }),
    label: CODE_TO_LABEL[spec.code],
    code: spec.code,
    confidence: spec.confidence ?? 1,
    evidence: spec.evidence ?? [],
    clauses: [],
  };
}

/** A themed finding whose themes are given (each matched by its own id). */
export function themed(doc: string, index: number, spec: FindingSpec): ThemedFinding {
  return { ...finding(doc, index, spec), themes: (spec.themes ?? []).map((theme) => ({ theme, terms: [theme] })) };
}

/** An analysed document of the given findings. */
export function analysedDoc(id: string, meta: Partial<DocumentMeta>, findings: ThemedFinding[]): AnalysedDocument {
  return {
    id,
    file: id,
    format: 'txt',
    sha256: '',
    encoding: 'utf-8',
    pageCount: 1,
    meta: { council: '', onsCode: '', region: '', date: '', published: '', inspectionStart: '', inspectionEnd: '', documentType: 'other', framework: '', grades: { areas: {} }, provenance: {}, extra: {}, ...meta },
    dropped: {},
    warnings: [],
    sections: [],
    findings,
  };
}

/**
 * The two "What needs to improve?" bullets of the Hartlepool report (eval source): checked against
 * Debian's pdftotext text of the same PDF, the reference, rather than quoted here.
 */
export function expectImprovementBullets(items: string[], pdf: string): void {
  const flat = (t: string) => t.replace(/\s+/g, ' ');
  const reference = flat(execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }));
  expect(items).toHaveLength(2);
  expect(items[0]).toMatch(/^Clarity for care leavers\b.*\boffer\.$/);
  expect(items[1]).toBe('The support and responses to care leavers in custody.');
  for (const t of items) expect(reference).toContain(t);
}

/**
 * Whether to skip a test that reads `path` in ../shared: only when the path is missing and
 * INSPECTION_THEMES_WITHOUT_SHARED=1 asks for it (a checkout without the shared data). Otherwise a
 * missing ../shared fails the test loudly (CI always has it), never skips it in silence.
 */
export const withoutShared = (path: string): boolean => !existsSync(path) && process.env.INSPECTION_THEMES_WITHOUT_SHARED === '1';

/** Debian's Chromium, which the browser tests drive with playwright-core (`npm test` installs it: scripts/ensure-system-deps.sh). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether to skip a browser test: only when Chromium is missing and
 * INSPECTION_THEMES_WITHOUT_CHROMIUM=1 asks for it. Otherwise a missing browser fails the test
 * loudly instead of skipping it in silence.
 */
export const withoutChromium = (): boolean => !existsSync(CHROMIUM) && process.env.INSPECTION_THEMES_WITHOUT_CHROMIUM === '1';

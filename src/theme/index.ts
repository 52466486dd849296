import type { Finding, ThemedFinding } from '../types.js';
import type { Codebook } from './codebook.js';
import { matchThemeSequence, matchThemes } from './matcher.js';

export { loadCodebook, validateCodebook, DEFAULT_CODEBOOK_PATH } from './codebook.js';
export type { Codebook, Theme } from './codebook.js';
export { compileCodebook, continuationCue, findMatches, matchThemeSequence, matchThemes } from './matcher.js';
export type { ThemeInput } from './matcher.js';
export { emergingTerms, EMERGING_COLUMNS, emergingRows } from './emerging.js';
export type { EmergingTerm, EmergingOptions } from './emerging.js';

/** Stage 4: assign codebook themes to an evaluative finding, with matched terms as evidence. */
export function themeFinding(f: Finding, codebook: Codebook): ThemedFinding {
  if (f.code === 'N') return { ...f, themes: [] };
  return { ...f, themes: matchThemes(codebook, f.tokens, f.stems, f.sectionPath) };
}

/**
 * Stage 4 over a document's findings (in document order): like themeFinding, plus continuation —
 * a themeless evaluative sentence that starts with a codebook continuation cue ("This", "As a
 * result") takes the themes of the evaluative sentence just before it in the same section.
 */
export function themeFindings(findings: Finding[], codebook: Codebook): ThemedFinding[] {
  const hits = matchThemeSequence(
    codebook,
    findings.map((f, i) => ({
      tokens: f.tokens,
      stems: f.stems,
      sectionPath: f.sectionPath,
      evaluative: f.code !== 'N',
      adjacent: i > 0 && findings[i - 1].doc === f.doc && findings[i - 1].index === f.index - 1,
    })),
  );
  return findings.map((f, i) => ({ ...f, themes: hits[i] }));
}

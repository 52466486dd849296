import type { Finding, ThemedFinding } from '../types.js';
import type { Codebook } from './codebook.js';
import { matchThemeSequence, matchThemes } from './matcher.js';
import { decideThemes, defaultThemeModel, type ThemeModel } from './model.js';

export { loadCodebook, validateCodebook, DEFAULT_CODEBOOK_PATH } from './codebook.js';
export type { Codebook, Theme } from './codebook.js';
export { compileCodebook, continuationCue, findMatches, matchThemeSequence, matchThemes, withImplications } from './matcher.js';
export { decideThemes, defaultThemeModel, parseThemeModel, serializeThemeModel, themeFeatures } from './model.js';
export type { ThemeModel, ThemeFeatureInput } from './model.js';
export type { ThemeInput } from './matcher.js';
export { documentTerms } from './emerging.js';
export { nounPhrases, PHRASE_MAX_WORDS, PHRASE_MIN_WORDS, type PhraseSpan } from './noun-phrases.js';

/** Stage 4: assign themes to one evaluative finding on its own (codebook matches, decided by the theme model), with the evidence. */
export function themeFinding(f: Finding, codebook: Codebook, model: ThemeModel | null = defaultThemeModel()): ThemedFinding {
  if (f.code === 'N') return { ...f, themes: [] };
  const hits = matchThemes(codebook, f.tokens, f.stems, f.sectionPath);
  return { ...f, themes: decideThemes(codebook, model, { tokens: f.tokens, stems: f.stems, sectionPath: f.sectionPath, hits, previousHits: [] }) };
}

/**
 * Stage 4 over a document's findings (in document order): the codebook's matches, with
 * continuation — a themeless evaluative sentence that starts with a codebook continuation cue
 * ("This", "As a result") takes the themes of the evaluative sentence just before it in the same
 * section — then decided theme by theme by the learned theme model (src/theme/model.ts; null:
 * the codebook alone).
 */
export function themeFindings(findings: Finding[], codebook: Codebook, model: ThemeModel | null = defaultThemeModel()): ThemedFinding[] {
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
  return findings.map((f, i) => ({
    ...f,
    themes: f.code === 'N' ? [] : decideThemes(codebook, model, { tokens: f.tokens, stems: f.stems, sectionPath: f.sectionPath, hits: hits[i]!, previousHits: hits[i - 1] ?? [] }),
  }));
}

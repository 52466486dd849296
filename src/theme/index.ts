import type { Finding, ThemedFinding } from '../types.js';
import type { Codebook } from './codebook.js';
import { matchThemeSequence, matchThemes, type ThemeCarry, type ThemeInput } from './matcher.js';
import { decideThemes, defaultThemeModel, type ThemeModel } from './model.js';

export { loadCodebook, validateCodebook, DEFAULT_CODEBOOK_PATH } from './codebook.js';
export type { Codebook, Theme } from './codebook.js';
export { compileCodebook, continuationCue, findMatches, matchThemeSequence, matchThemes, withImplications } from './matcher.js';
export { decideThemes, defaultThemeModel, parseThemeModel, serializeThemeModel, themeFeatures } from './model.js';
export type { ThemeModel, ThemeFeatureInput } from './model.js';
export type { ThemeCarry, ThemeInput } from './matcher.js';
export { documentTerms, TermTable } from './emerging.js';
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
  return new ThemeSequence(codebook, model).next(findings);
}

/**
 * themeFindings a slice at a time: each call themes the next findings of the same document, with
 * continuation from the last finding of the call before, so that slices give the themes of the
 * whole document at once while only one slice's tokens need be held.
 */
export class ThemeSequence {
  #before: (ThemeCarry & { last: Finding }) | undefined;
  constructor(
    readonly codebook: Codebook,
    readonly model: ThemeModel | null = defaultThemeModel(),
  ) {}

  next(findings: Finding[]): ThemedFinding[] {
    const { codebook, model } = this;
    const before = this.#before;
    const items = findings.map((f, i): ThemeInput => {
      const prev = i > 0 ? findings[i - 1] : before?.last;
      return { tokens: f.tokens, stems: f.stems, sectionPath: f.sectionPath, evaluative: f.code !== 'N', adjacent: prev !== undefined && prev.doc === f.doc && prev.index === f.index - 1 };
    });
    const hits = matchThemeSequence(codebook, items, before);
    const out = findings.map((f, i) => ({
      ...f,
      themes: f.code === 'N' ? [] : decideThemes(codebook, model, { tokens: f.tokens, stems: f.stems, sectionPath: f.sectionPath, hits: hits[i]!, previousHits: (i > 0 ? hits[i - 1] : before?.hits) ?? [] }),
    }));
    const n = findings.length;
    if (n > 0) this.#before = { item: items[n - 1]!, hits: hits[n - 1]!, last: findings[n - 1]! };
    return out;
  }
}

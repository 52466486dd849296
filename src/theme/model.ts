/**
 * Learned themes: one scorer per theme (a binary averaged perceptron, src/tag/linear.ts) over the
 * sentence's word stems and stem pairs, the words of its heading, its first word, and — the
 * researcher's instrument — the codebook's own matches for this sentence and the one before it
 * (`m:<theme>`, `pm:<theme>`). Trained by `npm run train` with the tagger into models/themes.json.
 *
 * How a theme is decided for an evaluative sentence:
 *  - a theme with a trained scorer (at least MIN_POSITIVES annotated examples, and better than the
 *    codebook alone on an inner cross-validation at training time) is given when its score is
 *    positive (its bias weight includes the cut-off that gave the best F1 on that inner
 *    cross-validation, `threshold` in the file); the codebook match is one of its strongest
 *    features, so editing a theme's phrases still changes results;
 *  - any other theme (a theme a researcher added, one too rare in the data, or one whose phrases
 *    did better on their own) is given when the codebook matches, as before;
 *  - implications (supervision_recording -> supervision) are applied afterwards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ThemeHit } from '../types.js';
import { readModelFile } from '../util/model-file.js';
import { REPO_ROOT } from '../util/paths.js';
import { describeFeature } from '../tag/features.js';
import { codebookKey, themeRulesHash, type Codebook } from './codebook.js';
import { compileCodebook, withImplications } from './matcher.js';

export const THEME_MODEL_FORMAT = 'inspection-themes/theme-model';
export const THEME_MODEL_FORMAT_VERSION = 1;
export const THEME_FEATURE_SET = 'stems+pairs+heading+codebook/2';
/** A theme needs this many annotated positive examples to get a scorer. */
export const MIN_POSITIVES = 5;
export const DEFAULT_THEME_MODEL_PATH = join(REPO_ROOT, 'models', 'themes.json');
const EVIDENCE_FEATURES = 3;
const HEADING_WORD_RE = /[^a-z0-9]+/;

/** What the theme features of one sentence are built from. */
export interface ThemeFeatureInput {
  tokens: readonly string[];
  stems: readonly string[];
  sectionPath: readonly string[];
  /** The codebook's matches for this sentence and the previous one. */
  hits: readonly ThemeHit[];
  previousHits: readonly ThemeHit[];
}

export function themeFeatures(x: ThemeFeatureInput): string[] {
  const f = new Set<string>(['bias']);
  const st = x.stems;
  for (let i = 0; i < st.length; i++) {
    f.add(`s:${st[i]}`);
    if (i >= 1) f.add(`sb:${st[i - 1]} ${st[i]}`);
  }
  for (const h of x.hits) f.add(`m:${h.theme}`);
  for (const h of x.previousHits) f.add(`pm:${h.theme}`);
  for (const w of (x.sectionPath.at(-1) ?? '').toLowerCase().split(HEADING_WORD_RE)) if (w) f.add(`h:${w}`);
  f.add(`f1:${x.tokens[0] ?? ''}`);
  return [...f];
}

const THEME_FAMILY_WORDS: Record<string, string> = { s: 'word stem', sb: 'phrase', m: 'codebook match', pm: 'previous sentence matched' };

function describe(feature: string): string {
  const c = feature.indexOf(':');
  const fam = feature.slice(0, c);
  const words = THEME_FAMILY_WORDS[fam];
  return words ? `${words} "${feature.slice(c + 1)}"` : describeFeature(feature);
}

export interface ThemeScorer {
  positives: number;
  /** 'model': the scorer decides; 'codebook': it did not beat the codebook's matches on inner CV, which decide. */
  use: 'model' | 'codebook';
  /** Inner-CV F1 of the scorer and of the codebook alone, which chose `use`. */
  innerF1: { model: number; codebook: number };
  weights: ReadonlyMap<string, number>;
  /** themeRulesHash of the theme as the scorer was trained with it. */
  rules: string;
  /** The cut-off chosen on inner CV, already folded into the `bias` weight (recorded to show it). */
  threshold?: number;
}

export interface ThemeModel {
  id: string;
  scorers: ReadonlyMap<string, ThemeScorer>;
}

/** The scorers that decide, as one table: feature -> weight per scored theme (one look-up per feature). */
interface CompiledThemeModel {
  themes: string[];
  slot: Map<string, number>;
  index: Map<string, Float64Array>;
}

const compiledModels = new WeakMap<ThemeModel, Map<string, CompiledThemeModel>>();

/**
 * The themes a model's scorers decide with this codebook: those whose scorer beat the codebook on
 * inner CV and whose rules are still those it was trained with (an edited theme is decided by its
 * rules until the model is retrained).
 */
export function scoredThemes(model: ThemeModel, codebook: Codebook): { scored: string[]; edited: string[] } {
  const rules = new Map(codebook.themes.map((t) => [t.id, themeRulesHash(t)]));
  const scored: string[] = [];
  const edited: string[] = [];
  for (const [id, s] of model.scorers) {
    if (s.use !== 'model' || !rules.has(id)) continue;
    if (rules.get(id) === s.rules) scored.push(id);
    else edited.push(id);
  }
  return { scored, edited };
}

function compileThemeModel(model: ThemeModel, codebook: Codebook): CompiledThemeModel {
  let byCodebook = compiledModels.get(model);
  if (!byCodebook) compiledModels.set(model, (byCodebook = new Map()));
  const key = codebookKey(codebook);
  let c = byCodebook.get(key);
  if (c) return c;
  const themes = scoredThemes(model, codebook).scored;
  const index = new Map<string, Float64Array>();
  themes.forEach((id, t) => {
    for (const [f, w] of model.scorers.get(id)!.weights) {
      let row = index.get(f);
      if (!row) index.set(f, (row = new Float64Array(themes.length)));
      row[t] = w;
    }
  });
  c = { themes, slot: new Map(themes.map((id, t) => [id, t])), index };
  byCodebook.set(key, c);
  return c;
}

export interface ThemeModelFile {
  format: string;
  formatVersion: number;
  id: string;
  featureSet: string;
  training: { dataSha256: string; units: number; documents: number };
  themes: Record<string, { positives: number; use: 'model' | 'codebook'; innerF1: { model: number; codebook: number }; rules: string; threshold?: number; weights: Record<string, number> }>;
}

export function serializeThemeModel(model: ThemeModel, training: ThemeModelFile['training']): string {
  const themes = [...model.scorers].sort(([a], [b]) => (a < b ? -1 : 1));
  const parts = themes.map(([id, s]) => {
    const w = [...s.weights].map(([f, x]) => `   ${JSON.stringify(f)}: ${JSON.stringify(x)}`).join(',\n');
    return `  ${JSON.stringify(id)}: {\n   "positives": ${s.positives},\n   "use": ${JSON.stringify(s.use)},\n   "innerF1": ${JSON.stringify(s.innerF1)},\n   "rules": ${JSON.stringify(s.rules)},\n${s.threshold !== undefined ? `   "threshold": ${JSON.stringify(s.threshold)},\n` : ''}   "weights": {${w ? `\n${w}\n   ` : ''}}\n  }`;
  });
  const head = JSON.stringify({ format: THEME_MODEL_FORMAT, formatVersion: THEME_MODEL_FORMAT_VERSION, id: model.id, featureSet: THEME_FEATURE_SET, training }, null, 1).replace(/\n}$/, '');
  return `${head},\n "themes": {\n${parts.join(',\n')}\n }\n}\n`;
}

export function parseThemeModel(json: string, where = 'theme model'): ThemeModel {
  const file = readModelFile<ThemeModelFile>(json, where, { format: THEME_MODEL_FORMAT, formatVersion: THEME_MODEL_FORMAT_VERSION, featureSet: THEME_FEATURE_SET });
  const scorers = new Map<string, ThemeScorer>();
  for (const [id, t] of Object.entries(file.themes ?? {})) {
    if (typeof t?.positives !== 'number' || typeof t.weights !== 'object' || typeof t.rules !== 'string' || (t.use !== 'model' && t.use !== 'codebook')) throw new Error(`${where}: bad entry for theme ${id}: retrain (npm run train)`);
    if (t.threshold !== undefined && typeof t.threshold !== 'number') throw new Error(`${where}: bad threshold for theme ${id}: retrain (npm run train)`);
    scorers.set(id, { positives: t.positives, use: t.use, innerF1: t.innerF1, rules: t.rules, weights: new Map(Object.entries(t.weights)), ...(t.threshold !== undefined ? { threshold: t.threshold } : {}) });
  }
  return { id: file.id, scorers };
}

let cached: ThemeModel | null | undefined;

/** The shipped theme model (models/themes.json, or $THEME_MODEL), loaded once; null when absent (codebook rules only). */
export function defaultThemeModel(): ThemeModel | null {
  if (cached === undefined) {
    const path = process.env.THEME_MODEL ?? DEFAULT_THEME_MODEL_PATH;
    cached = existsSync(path) ? parseThemeModel(readFileSync(path, 'utf8'), path) : null;
  }
  return cached;
}

/**
 * The themes of one evaluative sentence: the codebook's hits (with continuation already applied)
 * decided theme by theme by the model where it has a scorer that decides, then implications.
 */
export function decideThemes(codebook: Codebook, model: ThemeModel | null, input: ThemeFeatureInput): ThemeHit[] {
  if (!model) return [...input.hits];
  const cb = compileCodebook(codebook);
  const compiled = compileThemeModel(model, codebook);
  const features = themeFeatures(input);
  const rows: (Float64Array | undefined)[] = features.map((f) => compiled.index.get(f));
  const z = new Float64Array(compiled.themes.length);
  for (const row of rows) if (row) for (let t = 0; t < z.length; t++) z[t]! += row[t]!;
  const slot = compiled.slot;
  const ruleHits = new Map(input.hits.map((h) => [h.theme, h]));
  const out = new Map<string, ThemeHit>();
  const ownTerms = (h: ThemeHit) => h.terms.filter((x) => !x.startsWith('implied by '));
  for (const th of cb.themes) {
    const hit = ruleHits.get(th.id);
    // An implied-only hit is re-derived below from the decided themes.
    const direct = hit !== undefined && ownTerms(hit).length > 0;
    const t = slot.get(th.id);
    if (t === undefined) {
      if (direct) out.set(th.id, { theme: th.id, terms: ownTerms(hit) });
      continue;
    }
    if (z[t]! <= 0) continue;
    const why: { f: string; w: number }[] = [];
    rows.forEach((row, k) => {
      const w = row?.[t] ?? 0;
      if (w > 0 && !(direct && features[k] === `m:${th.id}`)) why.push({ f: features[k]!, w });
    });
    why.sort((a, b) => b.w - a.w || (a.f < b.f ? -1 : 1));
    const terms = direct ? ownTerms(hit) : [];
    terms.push(`model: ${why.slice(0, EVIDENCE_FEATURES).map((x) => describe(x.f)).join(', ')}`);
    out.set(th.id, { theme: th.id, terms });
  }
  return withImplications(codebook, out);
}

/**
 * Which trained models a run uses: the shipped ones (models/tagger.json, models/themes.json) or a
 * model folder written by `inspection-themes train --out <dir>` (`run --model <dir>`). Loaded
 * once per thread per folder; the files' hashes join the cache keys, so another model re-tags.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultModel, parseModel, type TagModel } from '../tag/model.js';
import { defaultThemeModel, parseThemeModel, type ThemeModel } from '../theme/model.js';
import { UserError } from '../util/errors.js';

export const TAGGER_FILE = 'tagger.json';
export const THEMES_FILE = 'themes.json';

export interface ModelSet {
  tagger: TagModel | null;
  themes: ThemeModel | null;
  /** SHA-256 of the model files ('' for the shipped models: the code fingerprint covers models/). */
  hash: string;
}

const loaded = new Map<string, ModelSet>();

/**
 * The models of a folder (undefined: the shipped ones). A missing or unreadable folder or file is
 * a UserError naming the fix.
 */
export function loadModelSet(dir?: string): ModelSet {
  if (!dir) return { tagger: defaultModel(), themes: defaultThemeModel(), hash: '' };
  const abs = resolve(dir);
  const hit = loaded.get(abs);
  if (hit) return hit;
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UserError(`--model ${dir}: not a model folder (write one with: inspection-themes train --out ${dir})`);
  const read = (name: string) => {
    const p = join(abs, name);
    if (!existsSync(p)) throw new UserError(`--model ${dir}: ${name} is missing (retrain with: inspection-themes train --out ${dir})`);
    return readFileSync(p, 'utf8');
  };
  const taggerText = read(TAGGER_FILE);
  const themesText = read(THEMES_FILE);
  let set: ModelSet;
  try {
    set = {
      tagger: parseModel(taggerText, join(dir, TAGGER_FILE)),
      themes: parseThemeModel(themesText, join(dir, THEMES_FILE)),
      hash: createHash('sha256').update(taggerText).update('\0').update(themesText).digest('hex'),
    };
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  loaded.set(abs, set);
  return set;
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../util/errors.js';

export const ThemeSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'theme id must be lower_snake_case'),
  category: z.string().min(1),
  name: z.string().min(1),
  description: z.string().min(1),
  /** Phrases matched on word boundaries, case-insensitive (multi-word allowed). */
  phrases: z.array(z.string().min(1)).default([]),
  /** Exclusions: a match is dropped when one of these phrases covers it. */
  exclude: z.array(z.string().min(1)).default([]),
  /** Other theme ids this one implies. */
  implies: z.array(z.string()).default([]),
});

export const CodebookSchema = z.object({
  version: z.string().min(1),
  categories: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) })).min(1),
  themes: z.array(ThemeSchema).min(1),
});

export type Theme = z.infer<typeof ThemeSchema>;
export interface Codebook extends z.infer<typeof CodebookSchema> {
  /** SHA-256 of the codebook file's bytes. */
  hash: string;
  source: string;
}

export const DEFAULT_CODEBOOK_PATH = fileURLToPath(new URL('../../../codebook/codebook.json', import.meta.url));

/** Load and validate a codebook file; a bad entry gives a UserError naming it. */
export function loadCodebook(path: string = DEFAULT_CODEBOOK_PATH): Codebook {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`codebook not found: ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new UserError(`codebook ${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = CodebookSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`codebook ${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const t of parsed.data.themes) {
    if (ids.has(t.id)) throw new UserError(`codebook ${path}: duplicate theme id ${t.id}`);
    ids.add(t.id);
  }
  for (const t of parsed.data.themes) {
    for (const imp of t.implies) {
      if (!ids.has(imp)) throw new UserError(`codebook ${path}: theme ${t.id} implies unknown theme ${imp}`);
    }
  }
  const hash = createHash('sha256').update(raw).digest('hex');
  return { ...parsed.data, hash, source: path };
}

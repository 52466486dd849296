import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../util/errors.js';
import { PROJECT_CODEBOOK } from '../util/paths.js';
import { parsePhrase } from './phrase.js';
import { compileSectionPattern } from './section-pattern.js';

/**
 * A match phrase: words separated by spaces, matched on word boundaries against a sentence's
 * tokens, case-insensitive. Each word matches itself and its plural / "-s" form ("strategy
 * meeting" also matches "strategy meetings"), except:
 *   - `~word`  matches any word with the same Porter stem ("~assessment": assessed, assessing);
 *   - `=word`  matches that exact (lower-cased) token only ("=missing" does not match "missed");
 *   - `word*`  matches any token starting with "word" ("safeguard*");
 *   - `*`      on its own is a gap of 0 to 2 arbitrary words ("referral * lado"); at most
 *              MAX_GAPS of them in one phrase.
 */
const PhraseSchema = z.string().min(1).superRefine((p, ctx) => {
  const err = parsePhrase(p).error;
  if (err) ctx.addIssue({ code: 'custom', message: `bad phrase "${p}": ${err}` });
});

const RegexSchema = z.string().min(1).superRefine((p, ctx) => {
  try {
    compileSectionPattern(p);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `bad section pattern "${p}": ${(e as Error).message}` });
  }
});

/** Co-occurrence rule: every group must have a matching phrase in the sentence (within `within` words of each other, if given). */
const CooccurSchema = z
  .object({
    all: z.array(z.array(PhraseSchema).min(1)).min(2, 'a co-occurrence rule needs at least two groups'),
    within: z.number().int().positive().optional(),
  })
  .strict();

export const ThemeSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'theme id must be lower_snake_case (a-z, 0-9, _; starting with a letter)'),
    category: z.string().min(1),
    name: z.string().min(1),
    description: z.string().min(1),
    /** Any one of these phrases assigns the theme (see PhraseSchema for the syntax). */
    phrases: z.array(PhraseSchema).default([]),
    /** Co-occurrence rules: the theme is assigned when all groups of one rule match. */
    cooccur: z.array(CooccurSchema).default([]),
    /** Exclusions: a phrase match of this theme is dropped when one of these phrases overlaps it ("health assessment"). */
    exclude: z.array(PhraseSchema).default([]),
    /** Vetoes: the theme's phrase and co-occurrence matches are dropped when any of these phrases occurs anywhere in the sentence. */
    unless: z.array(PhraseSchema).default([]),
    /** Section rules: case-insensitive regular expressions tested against each heading of the sentence's section path. */
    sections: z.array(RegexSchema).default([]),
    /** 'always': a section match assigns the theme; 'fallback': only when no phrase or co-occurrence rule assigned any theme. */
    sectionMode: z.enum(['always', 'fallback']).default('always'),
    /** Other theme ids this one implies (they are added with evidence "implied by <id>"). */
    implies: z.array(z.string()).default([]),
  })
  .strict();

export const CodebookSchema = z
  .object({
    version: z.string().min(1),
    description: z.string().optional(),
    categories: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) }).strict()).min(1),
    themes: z.array(ThemeSchema).min(1),
    /**
     * Continuation: an evaluative sentence that no rule themes and that starts with one of these
     * phrases ("This", "As a result", ...) takes the themes of the evaluative sentence just before it
     * in the same section.
     */
    continuation: z.array(PhraseSchema).default([]),
    /**
     * Anaphora: like continuation, but the previous sentence's themes are added even when the
     * sentence has themes of its own (a sentence opening "They ..." is still about the same thing).
     */
    anaphora: z.array(PhraseSchema).default([]),
    /** Generic words ignored by emerging-term discovery (besides English stopwords and words the themes cover). */
    emergingIgnore: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type Theme = z.infer<typeof ThemeSchema>;

/**
 * A fingerprint of what decides a theme's matches (phrases, co-occurrence rules, exclusions,
 * vetoes, section rules, implications; not its name or description). A learned scorer records the
 * fingerprint of the theme it was trained with; once a researcher edits the theme, the scorer no
 * longer decides it (its rules do) until the model is retrained.
 */
/** What compiled matchers and scorer tables are cached under: the codebook's hash, else its themes. */
export function codebookKey(codebook: Pick<Codebook, 'hash' | 'themes'>): string {
  return codebook.hash || JSON.stringify(codebook.themes);
}

export function themeRulesHash(t: Theme): string {
  const rules = { phrases: t.phrases, cooccur: t.cooccur, exclude: t.exclude, unless: t.unless, sections: t.sections, sectionMode: t.sectionMode, implies: t.implies };
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 16);
}
export interface Codebook extends z.infer<typeof CodebookSchema> {
  /** SHA-256 of the codebook file's bytes. */
  hash: string;
  source: string;
}

/** The project codebook: <repo>/codebook/codebook.json, from src/theme (tsx, vitest) or dist/src/theme (built). */
export const DEFAULT_CODEBOOK_PATH = PROJECT_CODEBOOK;

/** Name the entry an issue path points at: `themes[3] (id "foo")` rather than `themes.3`. */
function describePath(json: unknown, path: PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = json;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key === 'number') {
      const item = Array.isArray(node) ? node[key] : undefined;
      const id = item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : undefined;
      parts[parts.length - 1] = `${parts[parts.length - 1] ?? ''}[${key}]${id ? ` (id "${id}")` : ''}`;
    } else {
      parts.push(String(key));
    }
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as string] : undefined;
  }
  return parts.join('.') || '(top level)';
}

/** Validate a parsed codebook object; throws a UserError naming every bad entry (up to 10). */
export function validateCodebook(json: unknown, source = '<codebook>'): z.infer<typeof CodebookSchema> {
  const parsed = CodebookSchema.safeParse(json);
  if (!parsed.success) {
    const say = (m: string) => (/received undefined$/.test(m) ? 'is required (missing)' : m);
    const lines = parsed.error.issues.slice(0, 10).map((issue) => `  ${describePath(json, issue.path)}: ${say(issue.message)}`);
    const more = parsed.error.issues.length > 10 ? `\n  ... and ${parsed.error.issues.length - 10} more` : '';
    throw new UserError(`codebook ${source} is invalid:\n${lines.join('\n')}${more}`);
  }
  const data = parsed.data;
  const problems: string[] = [];
  const categories = new Set(data.categories.map((c) => c.id));
  const ids = new Set<string>();
  data.themes.forEach((t, i) => {
    if (ids.has(t.id)) problems.push(`themes[${i}] (id "${t.id}"): duplicate theme id`);
    ids.add(t.id);
    if (!categories.has(t.category)) problems.push(`themes[${i}] (id "${t.id}"): unknown category "${t.category}" (categories: ${[...categories].join(', ')})`);
    if (!t.phrases.length && !t.cooccur.length && !t.sections.length)
      problems.push(`themes[${i}] (id "${t.id}"): no match rules (give phrases, cooccur or sections)`);
  });
  data.themes.forEach((t, i) => {
    for (const imp of t.implies) {
      if (!ids.has(imp)) problems.push(`themes[${i}] (id "${t.id}"): implies unknown theme "${imp}"`);
      if (imp === t.id) problems.push(`themes[${i}] (id "${t.id}"): implies itself`);
    }
  });
  if (problems.length) throw new UserError(`codebook ${source} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return data;
}

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
  const data = validateCodebook(json, path);
  const hash = createHash('sha256').update(raw).digest('hex');
  return { ...data, hash, source: path };
}

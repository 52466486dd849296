import type { Finding, ThemedFinding, ThemeHit } from '../types.js';
import type { Codebook } from './codebook.js';

export { loadCodebook, DEFAULT_CODEBOOK_PATH } from './codebook.js';
export type { Codebook, Theme } from './codebook.js';

/** Stage 4: assign codebook themes to an evaluative finding, with matched terms. */
export function themeFinding(f: Finding, codebook: Codebook): ThemedFinding {
  if (f.code === 'N') return { ...f, themes: [] };
  const lower = ` ${f.tokens.join(' ')} `;
  const hits = new Map<string, ThemeHit>();
  for (const t of codebook.themes) {
    const terms = t.phrases.filter((p) => lower.includes(` ${p.toLowerCase()} `));
    if (terms.length) hits.set(t.id, { theme: t.id, terms });
  }
  for (const t of codebook.themes) {
    if (!hits.has(t.id)) continue;
    for (const imp of t.implies) if (!hits.has(imp)) hits.set(imp, { theme: imp, terms: [`implied by ${t.id}`] });
  }
  const order = new Map(codebook.themes.map((t, i) => [t.id, i]));
  const themes = [...hits.values()].sort((a, b) => order.get(a.theme)! - order.get(b.theme)!);
  return { ...f, themes };
}

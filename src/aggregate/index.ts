import type { AnalysedDocument, CouncilSummary, ThemedFinding } from '../types.js';
import type { Codebook } from '../theme/codebook.js';

export interface Aggregates {
  documents: AnalysedDocument[];
  findings: ThemedFinding[];
  councils: string[];
  themes: string[];
  councilThemes: CouncilSummary[];
}

/** Stage 5: council x theme summaries. */
export function aggregate(documents: AnalysedDocument[], codebook: Codebook): Aggregates {
  const findings = documents.flatMap((d) => d.findings);
  const councilOf = new Map(documents.map((d) => [d.id, d.meta.council || 'Unknown']));
  const onsOf = new Map(documents.map((d) => [d.meta.council || 'Unknown', d.meta.onsCode]));
  const councils = [...new Set(documents.map((d) => d.meta.council || 'Unknown'))].sort();
  const themes = codebook.themes.map((t) => t.id);
  const councilThemes: CouncilSummary[] = [];
  for (const council of councils) {
    const mine = findings.filter((f) => councilOf.get(f.doc) === council);
    const evaluative = mine.filter((f) => f.code !== 'N').length;
    for (const theme of themes) {
      const hits = mine.filter((f) => f.themes.some((h) => h.theme === theme));
      const s = hits.filter((f) => f.code === 'S').length;
      const i = hits.filter((f) => f.code === 'I').length;
      const m = hits.filter((f) => f.code === 'M').length;
      const n = s + i + m;
      councilThemes.push({
        council,
        onsCode: onsOf.get(council) ?? '',
        theme,
        strengths: s,
        improvements: i,
        mixed: m,
        evaluative,
        themeEvaluative: n,
        improvementShare: n ? (i + m) / n : null,
        netBalance: n ? (s - i) / n : null,
        documents: [...new Set(hits.map((f) => f.doc))].sort(),
        sentenceIds: hits.map((f) => f.id),
      });
    }
  }
  return { documents, findings, councils, themes, councilThemes };
}

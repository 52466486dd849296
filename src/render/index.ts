import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { Aggregates } from '../aggregate/index.js';
import type { Codebook } from '../theme/codebook.js';
import { writeFileAtomic } from '../util/fs.js';
import { renderSvg, svgToPng } from './charts.js';

export function heatmapSpec(agg: Aggregates, codebook: Codebook): TopLevelSpec {
  const name = new Map(codebook.themes.map((t) => [t.id, t.name]));
  const values = agg.councilThemes
    .filter((r) => r.themeEvaluative > 0)
    .map((r) => ({ council: r.council, theme: name.get(r.theme) ?? r.theme, share: r.improvementShare, n: r.themeEvaluative }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Share of findings that are areas for improvement, by council and theme',
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'council', type: 'nominal', title: 'Council' },
      y: { field: 'theme', type: 'nominal', title: 'Theme' },
      color: { field: 'share', type: 'quantitative', title: 'Improvement share', scale: { scheme: 'blueorange', domain: [0, 1] } },
      tooltip: [{ field: 'council' }, { field: 'theme' }, { field: 'share', format: '.0%' }, { field: 'n', title: 'findings' }],
    },
  };
}

/** Stage 6b: charts (vl.json, svg, png) and the HTML report. */
export async function writeCharts(agg: Aggregates, codebook: Codebook, outDir: string): Promise<string[]> {
  const charts: [string, TopLevelSpec][] = [['heatmap', heatmapSpec(agg, codebook)]];
  const written: string[] = [];
  for (const [name, spec] of charts) {
    const svg = await renderSvg(spec);
    await writeFileAtomic(join(outDir, 'charts', `${name}.vl.json`), JSON.stringify(spec, null, 2) + '\n');
    await writeFileAtomic(join(outDir, 'charts', `${name}.svg`), svg);
    await writeFileAtomic(join(outDir, 'charts', `${name}.png`), svgToPng(svg));
    written.push(`charts/${name}.vl.json`, `charts/${name}.svg`, `charts/${name}.png`);
  }
  return written;
}

/**
 * Every chart for the default corpus: Vega-Lite specs compile without warnings, render with
 * vega to SVG showing the councils and themes by display name, and to PNG with text drawn;
 * both renderings are byte-stable.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as vl from 'vega-lite';
import { runPipeline } from '../dist/src/pipeline/run.js';
import { benchmark, type Benchmark } from '../dist/src/aggregate/benchmark.js';
import { chartDefs, themeLabels, type ChartDef } from '../dist/src/render/specs.js';
import { renderSvg, svgToPng } from '../dist/src/render/charts.js';
import type { Aggregates } from '../dist/src/aggregate/index.js';
import type { Codebook } from '../dist/src/theme/codebook.js';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('charts for the default corpus', () => {
  let agg: Aggregates;
  let codebook: Codebook;
  let bench: Benchmark;
  let defs: ChartDef[];
  const svgs = new Map<string, string>();

  beforeAll(async () => {
    const r = await runPipeline({ corpusDir: 'corpus', cacheDir: null });
    agg = r.aggregates;
    codebook = r.codebook;
    bench = benchmark(agg, { focus: 'Southampton' });
    defs = chartDefs(agg, codebook, bench);
    for (const d of defs) svgs.set(d.name, await renderSvg(d.spec));
  });

  it('has the four charts, each a standalone Vega-Lite spec that compiles without warnings', () => {
    expect(defs.map((d) => d.name)).toEqual(['heatmap', 'balance', 'prevalence', 'profile', 'trends', 'changes']);
    expect(agg.councils.length).toBeGreaterThanOrEqual(3);
    for (const d of defs) {
      const spec = JSON.parse(JSON.stringify(d.spec));
      expect(spec.$schema).toMatch(/vega-lite\/v6\.json$/);
      expect(Array.isArray(spec.data.values)).toBe(true);
      const warnings: string[] = [];
      const logger = { level: () => logger, error: (...a: unknown[]) => void warnings.push(a.join(' ')), warn: (...a: unknown[]) => void warnings.push(a.join(' ')), info: () => logger, debug: () => logger } as unknown as NonNullable<Parameters<typeof vl.compile>[1]>['logger'];
      vl.compile(spec, { logger });
      expect(warnings, d.name).toEqual([]);
    }
  });

  it('shows every council and every theme by display name, without truncation', () => {
    const labels = themeLabels(codebook);
    const names = codebook.themes.map((t) => labels.get(t.id)!);
    // Axis labels are the display name, at most without a trailing parenthetical.
    for (const t of codebook.themes) expect(t.name.startsWith(labels.get(t.id)!)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['heatmap', 'balance', 'profile']) {
      const svg = svgs.get(name)!;
      for (const c of agg.councils) expect(svg, `${name}: ${c}`).toContain(`>${xml(c)}`);
      for (const t of names) expect(svg, `${name}: ${t}`).toContain(`>${xml(t)}</text>`);
      expect(svg).not.toContain('…');
    }
    const prevalence = svgs.get('prevalence')!;
    for (const t of names) expect(prevalence).toContain(`>${xml(t)}</text>`);
    // No theme ids where a display name differs from its id.
    for (const t of codebook.themes.filter((x) => x.name !== x.id)) expect(svgs.get('heatmap')).not.toContain(`>${t.id}</text>`);
  });

  it('highlights the focus council in every chart', () => {
    for (const name of ['heatmap', 'balance', 'profile']) expect(svgs.get(name)).toContain('>Southampton (focus)</text>');
    expect(svgs.get('prevalence')).toContain('>Southampton has one</text>');
    // outlined cells in the heatmap: one per theme with findings for the focus council
    const focusCells = agg.councilThemes.filter((r) => r.council === 'Southampton' && r.themeEvaluative > 0).length;
    expect(focusCells).toBeGreaterThan(0);
    expect(svgs.get('heatmap')!.match(/stroke-width="2"/g)?.length).toBe(focusCells);
  });

  it('labels heatmap cells with their counts and describes each for screen readers', () => {
    const svg = svgs.get('heatmap')!;
    for (const r of agg.councilThemes.filter((x) => x.themeEvaluative > 0)) {
      const name = codebook.themes.find((t) => t.id === r.theme)!.name;
      expect(svg).toContain(`aria-label="${xml(`${r.council}, ${name}: ${r.themeEvaluative} findings,`)}`);
    }
  });

  it('renders byte-identical SVG and PNG twice, with text drawn in the PNG', async () => {
    for (const d of defs) {
      const svg = svgs.get(d.name)!;
      expect(await renderSvg(d.spec)).toBe(svg);
      const png = Buffer.from(svgToPng(svg));
      expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
      expect(Buffer.from(svgToPng(svg)).equals(png)).toBe(true);
      const noText = Buffer.from(svgToPng(svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, '')));
      expect(noText.equals(png), `${d.name}: text changes the PNG`).toBe(false);
    }
  });

  it('works without a focus council', async () => {
    const plain = chartDefs(agg, codebook, benchmark(agg));
    const svg = await renderSvg(plain[0].spec);
    expect(svg).not.toContain('(focus)');
    for (const c of agg.councils) expect(svg).toContain(`>${xml(c)}`);
  });
});

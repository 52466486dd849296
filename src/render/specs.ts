/**
 * Vega-Lite specs for the cross-council comparison. Each spec carries its data inline, so a
 * `.vl.json` file opens as it is in the Vega editor. Colours are colour-blind safe: blue for
 * strengths, orange for areas for improvement (ColorBrewer PuOr/"blueorange").
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Aggregates } from '../aggregate/index.js';
import type { Benchmark } from '../aggregate/benchmark.js';
import type { Codebook } from '../theme/codebook.js';
import { LABEL_COLOURS, LABEL_NAMES } from '../vocab/labels.js';

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const FONT = 'Liberation Sans, Arial, Helvetica, sans-serif';
export const STRENGTH_COLOUR = LABEL_COLOURS.strength;
export const IMPROVEMENT_COLOUR = LABEL_COLOURS.improvement;
export const MIXED_COLOUR = LABEL_COLOURS.mixed;
const NEUTRAL_GREY = LABEL_COLOURS.neutral;

/** How a click on a chart item selects the sentences behind it (read by report.html). */
/** What clicking a mark lists; 'none': the chart's sentences are in a CSV it names (they may lie outside the window). */
/** 'change': the council's timeline, with the sentences of both inspections on the theme. */
export type DrillKind = 'council_theme' | 'council_theme_label' | 'theme_improvement' | 'change' | 'none';

export interface ChartDef {
  /** File stem: charts/<name>.vl.json|svg|png */
  name: string;
  title: string;
  drill: DrillKind;
  spec: TopLevelSpec;
}

const pct = (x: number | null) => (x === null ? 'no findings' : `${Math.round(x * 100)}%`);

const baseConfig = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 360 },
  header: { labelFontSize: 12, labelFontWeight: 'bold' as const },
  title: { fontSize: 15, subtitleFontSize: 12, anchor: 'start' as const, subtitleColor: '#444444' },
};

/** Vega expression string literal. */
const lit = (s: string) => JSON.stringify(s);

interface Ctx {
  /** Theme id -> axis label. */
  themeName: Map<string, string>;
  /** Theme id -> full display name (tooltips, descriptions). */
  themeFull: Map<string, string>;
  themeNames: string[];
  councils: string[];
  /** Focus first, then the others alphabetically. */
  councilsFocusFirst: string[];
  focus: string | null;
  /** Cells with fewer findings are faded and not ranked. */
  minFindings: number;
}

/**
 * Axis labels for themes: the display name without a trailing parenthetical
 * ('Front door (contacts and referrals)' -> 'Front door'), unless two themes would then share a
 * label. Tooltips and the report keep the full name.
 */
export function themeLabels(codebook: Codebook): Map<string, string> {
  const short = codebook.themes.map((t) => [t.id, t.name.replace(/\s*\([^()]*\)\s*$/, '') || t.name] as const);
  const counts = new Map<string, number>();
  for (const [, l] of short) counts.set(l, (counts.get(l) ?? 0) + 1);
  return new Map(short.map(([id, l], i) => [id, counts.get(l)! > 1 ? codebook.themes[i].name : l]));
}

function context(agg: Aggregates, codebook: Codebook, bench: Benchmark): Ctx {
  const themeName = themeLabels(codebook);
  const focus = bench.focus;
  return {
    themeName,
    themeFull: new Map(codebook.themes.map((t) => [t.id, t.name])),
    themeNames: agg.themes.map((t) => themeName.get(t) ?? t),
    councils: agg.councils,
    councilsFocusFirst: focus ? [focus, ...agg.councils.filter((c) => c !== focus)] : agg.councils,
    focus,
    minFindings: bench.minFindings,
  };
}

/** Label expression marking the focus council. */
const focusLabel = (focus: string | null) => (focus ? `datum.value === ${lit(focus)} ? datum.value + ' (focus)' : datum.value` : 'datum.value');
const focusWeight = (focus: string | null) => (focus ? { condition: { test: `datum.value === ${lit(focus)}`, value: 'bold' as const }, value: 'normal' as const } : ('normal' as const));

/** The improvement-share colour of the heatmaps (blue: strengths, orange: areas for improvement). */
const SHARE_COLOUR = {
  field: 'share',
  type: 'quantitative' as const,
  title: 'Improvement share',
  scale: { scheme: 'blueorange', domain: [0, 1], domainMid: 0.5 },
  legend: { format: '.0%', orient: 'right' as const, gradientLength: 160 },
};
/** Cells with fewer findings than the minimum count are drawn faded. */
const FADED_WHEN_FEW = { condition: { test: 'datum.few', value: 0.35 }, value: 1 };
/** The share and its 95% interval, for tooltips. */
const SHARE_TOOLTIP = [
  { field: 'share', title: 'Improvement share', format: '.0%' },
  { field: 'low', title: '95% interval from', format: '.0%' },
  { field: 'high', title: '95% interval to', format: '.0%' },
];
/** A heatmap cell without findings: grey, described for screen readers. */
const emptyCellLayer = () => ({ transform: [{ filter: 'datum.n === 0' }], mark: { type: 'rect' as const, color: '#f0f0f0', stroke: 'white', strokeWidth: 1 }, encoding: { description: { field: 'desc' } } });

/** The fields every council × theme datum starts with (names for display, share and count). */
function cellBase(r: Aggregates['councilThemes'][number], ctx: ReturnType<typeof context>) {
  return {
    council: r.council,
    theme: r.theme,
    themeName: ctx.themeName.get(r.theme) ?? r.theme,
    themeFull: ctx.themeFull.get(r.theme) ?? r.theme,
    share: r.improvementShare,
    low: r.improvementLow,
    high: r.improvementHigh,
    n: r.themeEvaluative,
    /** Fewer findings than the benchmark's minimum: faded, not ranked. */
    few: r.themeEvaluative > 0 && r.themeEvaluative < ctx.minFindings,
    focus: r.council === ctx.focus,
  };
}

export function heatmapSpec(agg: Aggregates, codebook: Codebook, bench: Benchmark): ChartDef {
  const ctx = context(agg, codebook, bench);
  const values = agg.councilThemes.map((r) => {
    const base = cellBase(r, ctx);
    const theme = base.themeFull;
    return {
      ...base,
      strengths: r.strengths,
      improvements: r.improvements,
      mixed: r.mixed,
      desc: r.themeEvaluative
        ? `${r.council}, ${theme}: ${r.themeEvaluative} findings, ${pct(r.improvementShare)} areas for improvement (95% interval ${pct(r.improvementLow)} to ${pct(r.improvementHigh)})${base.few ? `, fewer than ${ctx.minFindings}: not ranked` : ''}`
        : `${r.council}, ${theme}: no findings`,
    };
  });
  const step = agg.councils.length > 25 ? 20 : 28;
  const title = 'Areas for improvement by council and theme';
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: {
      text: title,
      subtitle: [
        'Colour: share of evaluative findings on the theme that are areas for improvement (mixed counted as improvement);',
        'number: evaluative findings, each counted once per council and inspection. Grey: no findings. Click a cell to list them.',
        `Faded: fewer than ${ctx.minFindings} findings, too few to read (the share's 95% interval is in the tooltip and in council_themes.csv).`,
      ],
    },
    config: baseConfig,
    data: { values },
    width: { step },
    height: { step: 20 },
    encoding: {
      x: {
        field: 'council',
        type: 'nominal',
        sort: ctx.councils,
        axis: { title: 'Council', orient: 'top', labelAngle: -50, labelAlign: 'left', labelExpr: focusLabel(ctx.focus), labelFontWeight: focusWeight(ctx.focus) },
      },
      y: { field: 'themeName', type: 'nominal', sort: ctx.themeNames, axis: { title: null } },
    },
    layer: [
      emptyCellLayer(),
      {
        transform: [{ filter: 'datum.n > 0' }],
        params: [{ name: 'cell', select: { type: 'point', fields: ['council', 'theme'] } }],
        mark: { type: 'rect', stroke: 'black', cursor: 'pointer' },
        encoding: {
          color: SHARE_COLOUR,
          strokeWidth: ctx.focus ? { condition: { test: 'datum.focus', value: 2 }, value: 0 } : { value: 0 },
          opacity: FADED_WHEN_FEW,
          description: { field: 'desc' },
          tooltip: [
            { field: 'council', title: 'Council' },
            { field: 'themeFull', title: 'Theme' },
            ...SHARE_TOOLTIP,
            { field: 'n', title: 'Findings' },
            { field: 'strengths', title: 'Strengths' },
            { field: 'improvements', title: 'Areas for improvement' },
            { field: 'mixed', title: 'Mixed' },
          ],
        },
      },
      {
        transform: [{ filter: 'datum.n > 0' }],
        mark: { type: 'text', fontSize: 10, aria: false, cursor: 'pointer' },
        encoding: {
          text: { field: 'n', type: 'quantitative' },
          color: { condition: { test: 'datum.share < 0.2 || datum.share > 0.8', value: 'white' }, value: 'black' },
        },
      },
    ],
  };
  return { name: 'heatmap', title, drill: 'council_theme', spec };
}

export function balanceSpec(agg: Aggregates, codebook: Codebook, bench: Benchmark): ChartDef {
  const ctx = context(agg, codebook, bench);
  const labels = [
    { key: 'strength', name: LABEL_NAMES.strength, colour: STRENGTH_COLOUR, sign: -1, order: 0 },
    { key: 'improvement', name: LABEL_NAMES.improvement, colour: IMPROVEMENT_COLOUR, sign: 1, order: 1 },
    { key: 'mixed', name: LABEL_NAMES.mixed, colour: MIXED_COLOUR, sign: 1, order: 2 },
  ];
  const values = agg.councilThemes.flatMap((r) => {
    const theme = ctx.themeFull.get(r.theme) ?? r.theme;
    const count = { strength: r.strengths, improvement: r.improvements, mixed: r.mixed } as Record<string, number>;
    return labels
      .filter((l) => count[l.key] > 0)
      .map((l) => ({
        council: r.council,
        theme: r.theme,
        themeName: ctx.themeName.get(r.theme) ?? r.theme,
        themeFull: theme,
        label: l.key,
        labelName: l.name,
        order: l.order,
        count: count[l.key],
        signed: l.sign * count[l.key],
        rate: r.evaluative ? count[l.key] / r.evaluative : 0,
        focus: r.council === ctx.focus,
        desc: `${r.council}, ${theme}: ${count[l.key]} ${l.name.toLowerCase()} findings`,
      }));
  });
  const columns = agg.councils.length > 12 ? 5 : Math.min(agg.councils.length, 4);
  const title = 'Strengths and areas for improvement per council, by theme';
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: { text: title, subtitle: ['Findings counted once per council and inspection: strengths to the left, areas for improvement and mixed findings to the right.', 'Click a bar to list its sentences.'] },
    config: baseConfig,
    data: { values },
    facet: {
      field: 'council',
      type: 'nominal',
      sort: ctx.councilsFocusFirst,
      title: null,
      header: { labelExpr: focusLabel(ctx.focus), labelLimit: 0 },
    },
    columns,
    spec: {
      width: 170,
      height: { step: 13 },
      layer: [
        {
          mark: { type: 'bar', cursor: 'pointer' },
          encoding: {
            y: { field: 'themeName', type: 'nominal', sort: ctx.themeNames, axis: { title: null }, scale: { domain: ctx.themeNames } },
            x: { field: 'signed', type: 'quantitative', stack: 'zero', title: 'Findings', axis: { labelExpr: 'abs(datum.value)', tickMinStep: 1 } },
            color: { field: 'labelName', type: 'nominal', scale: { domain: labels.map((l) => l.name), range: labels.map((l) => l.colour) }, legend: { title: 'Finding', orient: 'top' } },
            order: { field: 'order', type: 'quantitative' },
            description: { field: 'desc' },
            tooltip: [
              { field: 'council', title: 'Council' },
              { field: 'themeFull', title: 'Theme' },
              { field: 'labelName', title: 'Finding' },
              { field: 'count', title: 'Count' },
              { field: 'rate', title: 'Per evaluative sentence', format: '.1%' },
            ],
          },
        },
        { mark: { type: 'rule', color: '#666666' }, encoding: { x: { datum: 0 } } },
      ],
    },
    resolve: { scale: { x: 'shared' } },
  };
  return { name: 'balance', title, drill: 'council_theme_label', spec };
}

export function prevalenceSpec(agg: Aggregates, codebook: Codebook, bench: Benchmark): ChartDef {
  const ctx = context(agg, codebook, bench);
  const values = agg.themes.map((theme) => {
    const rows = agg.councilThemes.filter((r) => r.theme === theme);
    const withImprovement = rows.filter((r) => r.improvements + r.mixed > 0);
    const focusHas = ctx.focus ? withImprovement.some((r) => r.council === ctx.focus) : false;
    const name = ctx.themeFull.get(theme) ?? theme;
    return {
      theme,
      themeName: ctx.themeName.get(theme) ?? theme,
      themeFull: name,
      councils: withImprovement.length,
      share: agg.councils.length ? withImprovement.length / agg.councils.length : 0,
      focusHas: ctx.focus ? (focusHas ? `${ctx.focus} has one` : `${ctx.focus} has none`) : 'Councils',
      desc: `${name}: ${withImprovement.length} of ${agg.councils.length} councils have an area for improvement`,
    };
  });
  const domain = ctx.focus ? [`${ctx.focus} has one`, `${ctx.focus} has none`] : ['Councils'];
  // Most widespread first; codebook order breaks ties.
  const order = values
    .map((v, i) => ({ v, i }))
    .sort((a, b) => b.v.councils - a.v.councils || a.i - b.i)
    .map(({ v }) => v.themeName);
  const title = 'How many councils have an area for improvement on each theme';
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: { text: title, subtitle: [`Councils (of ${agg.councils.length}) with at least one area for improvement or mixed finding on the theme. Click a bar to list them.`] },
    config: baseConfig,
    data: { values },
    width: 420,
    height: { step: 18 },
    encoding: {
      y: { field: 'themeName', type: 'nominal', sort: order, axis: { title: null } },
      x: { field: 'councils', type: 'quantitative', title: 'Councils with an area for improvement', scale: { domain: [0, Math.max(1, agg.councils.length)] }, axis: { tickMinStep: 1 } },
    },
    layer: [
      {
        mark: { type: 'bar', cursor: 'pointer' },
        encoding: {
          color: { field: 'focusHas', type: 'nominal', title: ctx.focus ? 'Focus council' : null, scale: { domain, range: ctx.focus ? [IMPROVEMENT_COLOUR, NEUTRAL_GREY] : [IMPROVEMENT_COLOUR] }, legend: ctx.focus ? { orient: 'bottom' } : null },
          description: { field: 'desc' },
          tooltip: [
            { field: 'themeFull', title: 'Theme' },
            { field: 'councils', title: 'Councils' },
            { field: 'share', title: 'Share of councils', format: '.0%' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, aria: false }, encoding: { text: { field: 'councils', type: 'quantitative' } } },
    ],
  };
  return { name: 'prevalence', title, drill: 'theme_improvement', spec };
}

export function profileSpec(agg: Aggregates, codebook: Codebook, bench: Benchmark): ChartDef {
  const ctx = context(agg, codebook, bench);
  const hasPeers = bench.peersSource !== null;
  const COUNCIL = 'Council';
  const MEDIAN = 'Median of all councils';
  const PEERS = "Median of statistical neighbours in corpus";
  const byKey = new Map(bench.rows.map((r) => [`${r.council}\u0000${r.theme}`, r]));
  const values = agg.councilThemes.map((r) => {
    const b = byKey.get(`${r.council}\u0000${r.theme}`)!;
    const base = cellBase(r, ctx);
    const theme = base.themeFull;
    return {
      ...base,
      median: b.medianAll,
      peerMedian: b.peerMedian,
      rank: b.rank,
      ranked: b.councilsRanked,
      vsMedian: b.vsMedian ?? (b.lowCount ? `fewer than ${ctx.minFindings} findings` : ''),
      desc: `${r.council}, ${theme}: improvement share ${pct(r.improvementShare)}, 95% interval ${pct(r.improvementLow)} to ${pct(r.improvementHigh)} (median of all councils ${pct(b.medianAll)}${hasPeers ? `, of neighbours ${pct(b.peerMedian)}` : ''})${b.vsMedian === 'higher' || b.vsMedian === 'lower' ? `: ${b.vsMedian} than the median` : ''}`,
    };
  });
  const domain = hasPeers ? [COUNCIL, MEDIAN, PEERS] : [COUNCIL, MEDIAN];
  const range = hasPeers ? [IMPROVEMENT_COLOUR, '#555555', '#5e3c99'] : [IMPROVEMENT_COLOUR, '#555555'];
  const columns = agg.councils.length > 12 ? 5 : Math.min(agg.councils.length, 4);
  const refLayers: object[] = [
    { transform: [{ filter: 'datum.median !== null' }], mark: { type: 'tick', thickness: 2, size: 11 }, encoding: { x: { field: 'median', type: 'quantitative' }, color: { datum: MEDIAN } } },
  ];
  if (hasPeers) refLayers.push({ transform: [{ filter: 'datum.peerMedian !== null' }], mark: { type: 'tick', thickness: 2, size: 11 }, encoding: { x: { field: 'peerMedian', type: 'quantitative' }, color: { datum: PEERS } } });
  const title = 'Council profiles: improvement share by theme against the median';
  const spec = {
    $schema: SCHEMA,
    title: {
      text: title,
      subtitle: [
        `Dot: the council's share of evaluative findings on the theme that are areas for improvement (size: number of findings), line: its 95% interval; tick: median of all councils${hasPeers ? ' and of its statistical neighbours' : ''}.`,
        `Faded: fewer than ${ctx.minFindings} findings (not ranked). A council differs from the median only where its interval does not reach it.`,
        'Click a dot to list its sentences.',
      ],
    },
    config: baseConfig,
    data: { values },
    facet: { field: 'council', type: 'nominal', sort: ctx.councilsFocusFirst, title: null, header: { labelExpr: focusLabel(ctx.focus), labelLimit: 0 } },
    columns,
    spec: {
      width: 170,
      height: { step: 13 },
      encoding: {
        y: { field: 'themeName', type: 'nominal', sort: ctx.themeNames, axis: { title: null, grid: true, gridColor: '#eeeeee' }, scale: { domain: ctx.themeNames } },
      },
      layer: [
        {
          transform: [{ filter: 'datum.share !== null' }],
          mark: { type: 'rule', strokeWidth: 1.5 },
          encoding: {
            x: { field: 'low', type: 'quantitative' },
            x2: { field: 'high' },
            color: { datum: COUNCIL },
            opacity: { condition: { test: 'datum.few', value: 0.2 }, value: 0.45 },
          },
        },
        ...refLayers,
        {
          transform: [{ filter: 'datum.share !== null' }],
          mark: { type: 'circle', cursor: 'pointer' },
          encoding: {
            x: { field: 'share', type: 'quantitative', title: 'Improvement share', scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 3 } },
            size: { field: 'n', type: 'quantitative', title: 'Findings', scale: { range: [20, 160] }, legend: { orient: 'top' } },
            color: { datum: COUNCIL, scale: { domain, range }, legend: { title: null, orient: 'top' } },
            opacity: { condition: { test: 'datum.few', value: 0.35 }, value: 0.9 },
            description: { field: 'desc' },
            tooltip: [
              { field: 'council', title: 'Council' },
              { field: 'themeFull', title: 'Theme' },
              { field: 'share', title: 'Improvement share', format: '.0%' },
              { field: 'low', title: '95% interval from', format: '.0%' },
              { field: 'high', title: '95% interval to', format: '.0%' },
              { field: 'n', title: 'Findings' },
              { field: 'median', title: 'Median of all councils', format: '.0%' },
              { field: 'vsMedian', title: 'Against the median' },
              ...(hasPeers ? [{ field: 'peerMedian', title: "Neighbours' median", format: '.0%' }] : []),
              { field: 'rank', title: 'Rank (1 = highest share)' },
              { field: 'ranked', title: 'Councils ranked' },
            ],
          },
        },
      ],
    },
  } as unknown as TopLevelSpec;
  return { name: 'profile', title, drill: 'council_theme', spec };
}

/** National trends: improvement share by theme and year of inspection (full inspections, every year). */
export function trendSpec(agg: Aggregates, codebook: Codebook, bench: Benchmark): ChartDef {
  const ctx = context(agg, codebook, bench);
  const rows = agg.trends.filter((t) => t.by === 'year');
  const years = [...new Set(rows.map((t) => t.group))].sort();
  const values = rows.map((t) => ({
    theme: t.theme,
    themeName: ctx.themeName.get(t.theme) ?? t.theme,
    themeFull: ctx.themeFull.get(t.theme) ?? t.theme,
    year: t.group,
    share: t.improvementShare,
    low: t.improvementLow,
    high: t.improvementHigh,
    n: t.findings,
    raising: t.raising,
    inspections: t.inspections,
    few: t.findings > 0 && t.findings < ctx.minFindings,
    desc: `${ctx.themeFull.get(t.theme) ?? t.theme}, ${t.group}: raised in ${t.raising} of ${t.inspections} full inspections, ${t.findings} findings, ${pct(t.improvementShare)} areas for improvement (95% interval ${pct(t.improvementLow)} to ${pct(t.improvementHigh)})`,
  }));
  const title = 'National trends: areas for improvement by theme and year of inspection';
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    title: {
      text: title,
      subtitle: [
        "Colour: improvement share of the year's full inspections' findings on the theme; number: findings. Faded: fewer than the minimum count.",
        'All years, whatever the window; the sentences and the intervals are in trends.csv and sentences.csv.',
      ],
    },
    config: baseConfig,
    data: { values },
    width: { step: 34 },
    height: { step: 20 },
    encoding: {
      x: { field: 'year', type: 'ordinal', sort: years, axis: { title: 'Year of inspection (first day on site)', orient: 'top', labelAngle: 0 } },
      y: { field: 'themeName', type: 'nominal', sort: ctx.themeNames, axis: { title: null } },
    },
    layer: [
      emptyCellLayer(),
      {
        transform: [{ filter: 'datum.n > 0' }],
        mark: { type: 'rect' },
        encoding: {
          color: SHARE_COLOUR,
          opacity: FADED_WHEN_FEW,
          description: { field: 'desc' },
          tooltip: [
            { field: 'themeFull', title: 'Theme' },
            { field: 'year', title: 'Year' },
            ...SHARE_TOOLTIP,
            { field: 'n', title: 'Findings' },
            { field: 'raising', title: 'Inspections raising it' },
            { field: 'inspections', title: 'Full inspections that year' },
          ],
        },
      },
      {
        transform: [{ filter: 'datum.n > 0' }],
        mark: { type: 'text', fontSize: 10, aria: false },
        encoding: { text: { field: 'n', type: 'quantitative' }, color: { condition: { test: 'datum.share < 0.2 || datum.share > 0.8', value: 'white' }, value: 'black' } },
      },
    ],
  };
  return { name: 'trends', title, drill: 'none', spec };
}

/** How many of the largest supported changes each side of the changes chart shows. */
export const CHANGES_SHOWN = 15;

/** The biggest improvements and deteriorations between a council's inspections (only changes whose interval excludes none). */
export function changesSpec(agg: Aggregates, codebook: Codebook, bench: Benchmark): ChartDef {
  const ctx = context(agg, codebook, bench);
  // Ranked by the end of the interval nearest to no change: the largest changes the counts can vouch for.
  type Change = (typeof agg.changes)[number];
  const tie = (a: Change, b: Change) => (a.council < b.council ? -1 : a.council > b.council ? 1 : a.theme < b.theme ? -1 : a.theme > b.theme ? 1 : a.currentDate < b.currentDate ? -1 : 1);
  const improved = agg.changes.filter((c) => c.direction === 'improved').sort((a, b) => a.changeHigh! - b.changeHigh! || tie(a, b)).slice(0, CHANGES_SHOWN);
  const worse = agg.changes.filter((c) => c.direction === 'deteriorated').sort((a, b) => b.changeLow! - a.changeLow! || tie(a, b)).slice(0, CHANGES_SHOWN);
  const values = [...worse, ...improved].map((c) => {
    const theme = ctx.themeFull.get(c.theme) ?? c.theme;
    return {
      council: c.council,
      theme: c.theme,
      previous: c.previous,
      inspection: c.current,
      key: `${c.council}: ${ctx.themeName.get(c.theme) ?? c.theme} (${c.previousDate.slice(0, 4)} to ${c.currentDate.slice(0, 4)})`,
      change: c.change,
      low: c.changeLow,
      high: c.changeHigh,
      direction: c.direction,
      focus: c.council === ctx.focus,
      desc: `${c.council}, ${theme}: improvement share ${pct(c.previousShare)} (${c.previousFindings} findings, ${c.previousDate}) to ${pct(c.currentShare)} (${c.currentFindings}, ${c.currentDate}); change 95% interval ${Math.round(c.changeLow! * 100)} to ${Math.round(c.changeHigh! * 100)} points: ${c.direction}`,
    };
  });
  const title = 'Biggest changes since the previous inspection';
  const spec = {
    $schema: SCHEMA,
    title: {
      text: title,
      subtitle: [
        `Change in improvement share from a council's previous inspection to the next, per theme (bar; line: 95% interval): the ${CHANGES_SHOWN} falls (improved) and rises`,
        '(deteriorated) whose interval ends furthest from no change. Every pair of inspections, with the sentences behind both shares, is in changes.csv.',
      ],
    },
    config: baseConfig,
    data: { values },
    width: 420,
    height: { step: 16 },
    encoding: {
      y: { field: 'key', type: 'nominal', sort: values.map((v) => v.key), axis: { title: null, labelLimit: 520 } },
    },
    layer: [
      {
        mark: { type: 'bar', height: 9, opacity: 0.75 },
        encoding: {
          x: { field: 'change', type: 'quantitative', title: 'Change in improvement share (negative: fewer areas for improvement)', axis: { format: '+.0%' }, scale: { domain: [-1, 1] } },
          color: { field: 'direction', type: 'nominal', title: null, scale: { domain: ['improved', 'deteriorated'], range: [STRENGTH_COLOUR, IMPROVEMENT_COLOUR] }, legend: { orient: 'top' } },
          description: { field: 'desc' },
          tooltip: [
            { field: 'council', title: 'Council' },
            { field: 'key', title: 'Theme and years' },
            { field: 'change', title: 'Change', format: '+.0%' },
            { field: 'low', title: '95% interval from', format: '+.0%' },
            { field: 'high', title: '95% interval to', format: '+.0%' },
          ],
        },
      },
      { mark: { type: 'rule', strokeWidth: 1.5, color: '#222222' }, encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
    ],
  } as unknown as TopLevelSpec;
  return { name: 'changes', title, drill: 'change', spec };
}

/** Every chart, in report order. */
export function chartDefs(agg: Aggregates, codebook: Codebook, bench: Benchmark): ChartDef[] {
  const defs = [heatmapSpec(agg, codebook, bench), balanceSpec(agg, codebook, bench), prevalenceSpec(agg, codebook, bench), profileSpec(agg, codebook, bench), trendSpec(agg, codebook, bench), changesSpec(agg, codebook, bench)];
  // The trends and changes look at every inspection; the others at the window's.
  for (const d of defs) if (d.name !== 'trends' && d.name !== 'changes') withWindow(d.spec as { title?: { subtitle?: string[] } }, agg.window.label);
  return defs;
}

/** Every chart says which inspections it compares (its last subtitle line). */
function withWindow(spec: { title?: { subtitle?: string[] } }, label: string): void {
  if (!spec.title) return;
  spec.title.subtitle = [...(spec.title.subtitle ?? []), `Window: ${label}.`];
}

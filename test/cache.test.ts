import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runPipeline } from '../src/pipeline/run.js';
import { extractorVersions, LAYER_ENTRIES, layerFingerprints, moduleClosure } from '../src/pipeline/cache.js';
import { SRC_ROOT } from '../src/util/paths.js';
import { REPO_ROOT, SAMPLE_DIR } from './hostile-fixtures.js';

const DOCS: Record<string, string> = {
  'hampshire_cabinet_2023.txt':
    'Children’s services in Hampshire continue to improve. Social workers visit children regularly and know them well. ' +
    'However, the quality of supervision is too variable and management oversight is not always recorded.\n\n' +
    'Care leavers told inspectors that their personal advisers are helpful and stay in touch.\n',
  'leeds_focused_visit_2022.md':
    '# Focused visit to Leeds children’s services\n\nLeaders have responded well to the challenges of the pandemic.\n\n' +
    '## Areas for improvement\n\n- The timeliness of initial health assessments for children in care.\n- The consistency of return home interviews.\n',
  'kent_letter_2021.html':
    '<html><body><h1>Kent: monitoring visit</h1><p>Thresholds are well understood by partners, and referrals are screened promptly.</p>' +
    '<p>Too many assessments are not completed within timescales that meet children’s needs.</p></body></html>\n',
};

/** All files of an output folder, path -> bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/**
 * A corpus of its own with an empty cache, so that every test sets up the state it needs and
 * none depends on what another left behind (the suite passes in any order).
 */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'it-cache-'));
  const corpus = join(dir, 'corpus');
  const cache = join(dir, 'cache');
  mkdirSync(corpus);
  for (const [f, t] of Object.entries(DOCS)) writeFileSync(join(corpus, f), t);
  copyFileSync(join(SAMPLE_DIR, 'southampton_2023-07-28.pdf'), join(corpus, 'southampton_2023-07-28.pdf'));
  writeFileSync(join(corpus, 'manifest.csv'), 'file,local_authority\nhampshire_cabinet_2023.txt,Hampshire\nsouthampton_2023-07-28.pdf,Southampton\n');
  let run = 0;
  const out = (k = run) => join(dir, `out${k}`);
  const go = (opts: Partial<Parameters<typeof runPipeline>[0]> = {}) => runPipeline({ corpusDir: corpus, outDir: join(dir, `out${++run}`), cacheDir: cache, ...opts });
  dirs.push(dir);
  return { dir, corpus, cache, go, out, n: Object.keys(DOCS).length + 1 };
}
const dirs: string[] = [];

/** A fixture whose cache a first run has filled. */
async function warmed() {
  const fx = fixture();
  await fx.go();
  return fx;
}

describe('incremental cache', () => {
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a warm run re-reads nothing (no ingest, no tagging) and writes byte-identical outputs', async () => {
    const { go, out, n } = fixture();
    const cold = await go();
    expect(cold.stats.cache).toMatchObject({ analysed: 0, extract: 0, misses: n });
    expect(cold.stats.stageMs.ingest).toBeGreaterThan(0);
    const warm = await go();
    expect(warm.stats.cache).toMatchObject({ analysed: n, extract: 0, misses: 0 });
    expect(warm.stats.stageMs.ingest).toBe(0);
    expect(warm.stats.stageMs.tag).toBe(0);
    // The outputs layer answered: no document was loaded or aggregated for the files; the
    // aggregates are loaded from the analysed layer when read (below), and equal the cold run's.
    expect(warm.stats.cache.outputs).toBe(true);
    expect(warm.stats.stageMs.aggregate).toBeUndefined();
    expect(warm.report.documents).toBe(cold.report.documents);
    const a = snapshot(out(2));
    expect(a.has('sentences.csv') && a.has('run_report.json')).toBe(true);
    expect(a).toEqual(snapshot(out(1)));
    expect(warm.aggregates.findings).toEqual(cold.aggregates.findings);
  });

  it('run_report.json holds no timings or cache counts (so it is identical cold and warm)', async () => {
    const { go, out } = await warmed();
    await go();
    for (const k of [1, 2]) {
      const report = JSON.parse(readFileSync(join(out(k), 'run_report.json'), 'utf8'));
      expect(report).not.toHaveProperty('cache');
      expect(JSON.stringify(report)).not.toMatch(/"(ms|wallMs|hits|misses|elapsed)"/);
    }
  });

  it('a changed codebook re-themes from the extraction layer without re-reading documents', async () => {
    const { dir, go, n } = await warmed();
    const cb = JSON.parse(readFileSync(join(REPO_ROOT, 'codebook', 'codebook.json'), 'utf8'));
    cb.version = `${cb.version}-test-edit`;
    const cbPath = join(dir, 'codebook-edited.json');
    writeFileSync(cbPath, JSON.stringify(cb, null, 2));
    const r = await go({ codebookPath: cbPath });
    expect(r.stats.cache).toMatchObject({ analysed: 0, extract: n, misses: 0 });
    expect(r.stats.stageMs.ingest).toBe(0);
    expect(r.stats.stageMs.tag).toBeGreaterThan(0);
    const again = await go({ codebookPath: cbPath });
    expect(again.stats.cache.analysed).toBe(n);
  });

  it('re-reads only the document whose bytes changed', async () => {
    const { corpus, go, n } = await warmed();
    writeFileSync(join(corpus, 'kent_letter_2021.html'), DOCS['kent_letter_2021.html'].replace('promptly', 'promptly and consistently'));
    const r = await go();
    expect(r.stats.cache).toMatchObject({ analysed: n - 1, misses: 1 });
    expect(r.aggregates.findings.some((f) => f.text.includes('promptly and consistently'))).toBe(true);
  });

  it('a changed manifest row invalidates that document (metadata is part of the key)', async () => {
    const { corpus, go, n } = await warmed();
    writeFileSync(join(corpus, 'manifest.csv'), 'file,local_authority\nhampshire_cabinet_2023.txt,Isle of Wight\nsouthampton_2023-07-28.pdf,Southampton\n');
    const r = await go();
    expect(r.stats.cache).toMatchObject({ analysed: n - 1, misses: 1 });
    expect(r.aggregates.documents.find((d) => d.file === 'hampshire_cabinet_2023.txt')!.meta.council).toBe('Isle of Wight');
  });

  it('changed limits re-extract (limits are part of the key)', async () => {
    const { go, n } = await warmed();
    const r = await go({ limits: { maxSentenceChars: 60 } });
    expect(r.stats.cache.analysed).toBe(0);
    expect(r.report.limitsHit.length).toBeGreaterThan(0);
    const back = await go();
    expect(back.stats.cache.analysed).toBe(n);
    expect(back.report.limitsHit).toEqual([]);
  });

  it('a damaged cache entry is a miss, not a crash', async () => {
    const { cache, go, n } = await warmed();
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    const files = walk(cache);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) writeFileSync(f, 'garbage');
    const r = await go();
    expect(r.stats.cache).toMatchObject({ analysed: 0, misses: n });
    expect(r.report.documents).toBe(n);
  });

  it('cacheDir: null (--no-cache) neither reads nor writes a cache', async () => {
    const { corpus, cache, n } = await warmed();
    const before = snapshot(cache);
    writeFileSync(join(corpus, 'new_doc.txt'), 'Leaders have strengthened the front door. Partners understand thresholds well.\n');
    const r = await runPipeline({ corpusDir: corpus, cacheDir: null });
    expect(r.stats.cache).toMatchObject({ dir: null, analysed: 0, extract: 0, misses: n + 1 });
    expect(r.stats.stageMs.ingest).toBeGreaterThan(0);
    expect(snapshot(cache)).toEqual(before);
  });
});

describe('cache keys', () => {
  it('the extraction fingerprint names the installed versions of the text extractors', () => {
    const pdfium = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', '@embedpdf', 'pdfium', 'package.json'), 'utf8')) as { version: string };
    const pdfjs = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'pdfjs-dist', 'package.json'), 'utf8')) as { version: string };
    const iconv = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'iconv-lite', 'package.json'), 'utf8')) as { version: string };
    const entities = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'entities', 'package.json'), 'utf8')) as { version: string };
    expect(extractorVersions()).toEqual([`@embedpdf/pdfium@${pdfium.version}`, `pdfjs-dist@${pdfjs.version}`, `iconv-lite@${iconv.version}`, `entities@${entities.version}`]);
  });

  it('each layer is keyed by the code it runs: a chart change re-renders, a tagger change re-tags, an ingest change re-reads', () => {
    const root = mkdtempSync(join(tmpdir(), 'it-fp-'));
    const src = join(root, 'src');
    const write = (rel: string, text: string) => {
      mkdirSync(join(src, rel, '..'), { recursive: true });
      writeFileSync(join(src, rel), text);
    };
    write('ingest/index.ts', "import { clean } from './clean.js';\nexport const ingest = clean;\n");
    write('ingest/clean.ts', 'export const clean = 1;\n');
    write('segment/index.ts', "import type { X } from '../types.js';\nexport const segment = 1;\n");
    write('types.ts', 'export type X = 1;\n');
    write('tag/index.ts', "export const tag = () => import('./rules.js');\n");
    write('tag/rules.ts', 'export const rules = 1;\n');
    write('theme/index.ts', 'export const theme = 1;\n');
    write('render/charts.ts', 'export const charts = 1;\n');
    const before = layerFingerprints(src, root);
    write('render/charts.ts', 'export const charts = 2;\n');
    const chart = layerFingerprints(src, root);
    expect(chart.extract).toBe(before.extract);
    expect(chart.analyse).toBe(before.analyse);
    expect(chart.outputs).not.toBe(before.outputs);
    write('tag/rules.ts', 'export const rules = 2;\n'); // reached through a dynamic import
    const tagger = layerFingerprints(src, root);
    expect(tagger.extract).toBe(before.extract);
    expect(tagger.analyse).not.toBe(chart.analyse);
    write('ingest/clean.ts', 'export const clean = 2;\n');
    const ingest = layerFingerprints(src, root);
    expect(ingest.extract).not.toBe(tagger.extract);
    expect(ingest.analyse).not.toBe(tagger.analyse);
    mkdirSync(join(root, 'models'));
    writeFileSync(join(root, 'models', 'tagger.json'), '{}');
    const model = layerFingerprints(src, root);
    expect(model.extract).toBe(ingest.extract);
    expect(model.analyse).not.toBe(ingest.analyse);
    // The tagger's lexicon re-tags; the gazetteer (ingest metadata) re-reads.
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'lexicon.json'), '{}');
    const lexicon = layerFingerprints(src, root);
    expect(lexicon.extract).toBe(model.extract);
    expect(lexicon.analyse).not.toBe(model.analyse);
    writeFileSync(join(root, 'data', 'local_authorities.csv'), 'name\n');
    const gazetteer = layerFingerprints(src, root);
    expect(gazetteer.extract).not.toBe(lexicon.extract);
    rmSync(root, { recursive: true, force: true });
  });

  it("the project's extract layer holds no tagging, theming or rendering code", () => {
    const rel = (f: string) => relative(SRC_ROOT, f).split(/[\\/]/).join('/');
    const extract = moduleClosure(SRC_ROOT, LAYER_ENTRIES.extract).map(rel);
    expect(extract).toContain('ingest/clean.ts');
    expect(extract.filter((f) => /^(tag|theme|render|export|aggregate)\//.test(f))).toEqual([]);
  });
});

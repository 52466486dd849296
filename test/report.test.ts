/**
 * report.html as text: self-contained (no external resources), document text only inside the
 * escaped JSON block, a script nonce policy, and the same bytes however the sentences are
 * compressed. (That the whole report is byte-identical across runs is test/export.test.ts, which
 * compares two CLI runs, not one function called twice.)
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { aggregate } from '../src/aggregate/index.js';
import { benchmark } from '../src/aggregate/benchmark.js';
import { loadCodebook } from '../src/theme/codebook.js';
import { chartDefs } from '../src/render/specs.js';
import { gunzipSync } from 'node:zlib';
import { packJson, packJsonArray, reportCore, reportData, reportHtml, reportHtmlPartsStreamed, reportSentences } from '../src/render/report.js';
import { readdirSync, readFileSync } from 'node:fs';
import type { AnalysedDocument } from '../src/types.js';
import { analysedDoc, themed } from './helpers.js';

const codebook = loadCodebook(resolve('codebook/codebook.json'));
const EVIL_TEXT = 'Plans are weak </script><script>window.pwned=1</script><!-- and <img src=x onerror="window.pwned=2"> & more \u2028 end.';
const EVIL_COUNCIL = 'Riverton <b onmouseover="window.pwned=3">Council</b>';

function hostileDoc(): AnalysedDocument {
  return analysedDoc(
    'r.txt',
    { council: EVIL_COUNCIL, date: '2024-02-01', documentType: 'ofsted_letter' },
    [EVIL_TEXT, 'Supervision is regular and reflective, and managers record their decisions.'].map((text, index) => {
      const code = index ? 'S' : 'I';
      return themed('r.txt', index, { text, code, themes: ['supervision'], sectionPath: ['Findings </script>'], confidence: 0.8, evidence: [{ kind: 'cue', value: '<weak>', points: code, weight: 1 }] });
    }),
  );
}

describe('report.html', () => {
  const agg = aggregate([hostileDoc()], codebook);
  const bench = benchmark(agg, { focus: EVIL_COUNCIL });
  const html = reportHtml(reportData(agg, codebook, bench, chartDefs(agg, codebook, bench)));

  /** A data block of the page, unpacked as the page does (base64, then gzip, then JSON). */
  const block = (re: RegExp) => {
    const m = html.match(re);
    expect(m).not.toBeNull();
    return JSON.parse(gunzipSync(Buffer.from(m![1]!, 'base64')).toString('utf8'));
  };

  it('keeps document text inside compressed data blocks, where no markup survives, and round-trips it', () => {
    expect(JSON.parse(gunzipSync(Buffer.from(packJson({ t: '</script><!--&\u2028' }), 'base64')).toString('utf8'))).toEqual({ t: '</script><!--&\u2028' });
    expect(packJson({ t: '</script>' })).toMatch(/^[A-Za-z0-9+/=]+$/);
    // The only script elements are the report's own: the data, one sentence block per council, three libraries, the code.
    expect(html.match(/<\/script/gi)).toHaveLength(6);
    expect(html.match(/<script\b/gi)).toHaveLength(6);
    // (the words survive only inside the compressed blocks; the markup does not)
    expect(html.includes('window.pwned=1')).toBe(false);
    expect(html.includes('<img src=x')).toBe(false);
    expect(html.includes('<b onmouseover')).toBe(false);
    expect(html.includes('<!-- and')).toBe(false);
    const data = block(/<script type="application\/octet-stream" id="report-data" data-encoding="gzip\+base64">([^<]*)<\/script>/);
    expect(data.focus).toBe(EVIL_COUNCIL);
    expect(data.sentences).toBeUndefined();
    const sentences = block(/<script type="application\/octet-stream" class="sentences" data-council="[^"]*" data-count="2">([^<]*)<\/script>/);
    expect(sentences.map((s: { text: string }) => s.text)).toEqual([EVIL_TEXT, 'Supervision is regular and reflective, and managers record their decisions.']);
    expect(sentences[0]).toMatchObject({ doc: 'r.txt', label: 'improvement', section: 'Findings </script>', themes: ['supervision'] });
  });

  it('needs no network: no external scripts, styles, images or fonts, and a policy that forbids them', () => {
    // The page's own markup, with the inlined script bodies set aside.
    const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2');
    expect(markup.length).toBeLessThan(20_000);
    expect(markup).not.toMatch(/<(script|img|iframe|embed|object|video|audio|source)\b[^>]*\bsrc=/i);
    expect(markup).not.toMatch(/<link\b/i);
    expect(markup).not.toMatch(/@import|url\(/i);
    expect(markup).not.toMatch(/\b(href|src)="(https?:)?\/\//i);
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)![1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((x) => x[1]);
    for (const attrs of scripts) expect(attrs.includes(`nonce="${nonce}"`) || attrs.includes('type="application/octet-stream"')).toBe(true);
    for (const lib of ['vega', 'vega-lite', 'vega-embed']) expect(html).toContain(`data-lib="${lib}"`);
  });


  it('is written the same when its sentences are made and compressed a council at a time (as the pipeline writes it)', async () => {
    const streamed = await reportHtmlPartsStreamed(reportCore(agg, codebook, bench, chartDefs(agg, codebook, bench)), reportSentences(agg, bench));
    expect(streamed.join('')).toBe(html);
  });
});

describe('compressed data blocks', () => {
  it('packJsonArray compresses an array a piece at a time to the bytes packJson gives for it whole', async () => {
    // Real text: the default corpus's lines, numbered, enough of them for several pieces.
    const lines = readdirSync('corpus')
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .flatMap((f) => readFileSync(`corpus/${f}`, 'utf8').split('\n'));
    const items: { n: number; text: string }[] = [];
    while (JSON.stringify(items).length < 3_500_000) for (const text of lines) items.push({ n: items.length, text });
    const whole = packJson(items);
    expect(await packJsonArray(items)).toBe(whole);
    expect(JSON.parse(gunzipSync(Buffer.from(whole, 'base64')).toString('utf8'))).toHaveLength(items.length);
    expect(await packJsonArray([])).toBe(packJson([]));
  });
});

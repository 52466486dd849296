/**
 * report.html as text: self-contained (no external resources), document text only inside the
 * escaped JSON block, a script nonce policy, and deterministic output.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { aggregate } from '../src/aggregate/index.js';
import { benchmark } from '../src/aggregate/benchmark.js';
import { loadCodebook } from '../src/theme/codebook.js';
import { chartDefs } from '../src/render/specs.js';
import { reportData, reportHtml, scriptJson } from '../src/render/report.js';
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

  it('keeps document text inside the JSON data block, escaped, and round-trips it', () => {
    expect(scriptJson({ t: '</script><!--&\u2028' })).toBe('{"t":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"}');
    // The only closing script tags are those of the report's own five script elements.
    expect(html.match(/<\/script/gi)).toHaveLength(5);
    expect(html.match(/<script\b/gi)).toHaveLength(5);
    // (the words survive as JSON string content; the markup does not)
    expect(html.includes('<script>window.pwned=1')).toBe(false);
    expect(html.includes('<img src=x')).toBe(false);
    expect(html.includes('<b onmouseover')).toBe(false);
    expect(html.includes('<!-- and')).toBe(false);
    const m = html.match(/<script type="application\/json" id="report-data">([^<]*)<\/script>/);
    expect(m).not.toBeNull();
    const data = JSON.parse(m![1]);
    expect(data.sentences.map((s: { text: string }) => s.text)).toEqual([EVIL_TEXT, 'Supervision is regular and reflective, and managers record their decisions.']);
    expect(data.focus).toBe(EVIL_COUNCIL);
    expect(data.sentences[0]).toMatchObject({ doc: 'r.txt', label: 'improvement', section: 'Findings </script>', themes: ['supervision'] });
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
    for (const attrs of scripts) expect(attrs.includes(`nonce="${nonce}"`) || attrs.includes('type="application/json"')).toBe(true);
    for (const lib of ['vega', 'vega-lite', 'vega-embed']) expect(html).toContain(`data-lib="${lib}"`);
  });

  it('is deterministic', () => {
    expect(reportHtml(reportData(agg, codebook, bench, chartDefs(agg, codebook, bench)))).toBe(html);
  });
});

import { describe, expect, it } from 'vitest';
import type { EvalUnit } from '../src/eval/data.js';
import { bestCutOff, evaluateThemes, formatThemeEval, MIN_CUT_OFF } from '../src/eval/themes.js';
import { loadCodebook } from '../src/theme/codebook.js';

const cb = loadCodebook();
const unit = (i: number, label: EvalUnit['label'], text: string, themes: string[]): EvalUnit => ({ doc: 'written-for-test', i, text, label, themes, how: 'single' });

describe('evaluateThemes', () => {
  // Sentences written for this test in the style of ILACS reports, with the themes a reader would give.
  const units = [
    unit(0, 'N', 'The experiences and progress of children who need help and protection', []),
    unit(1, 'S', 'Strategy meetings are timely and police attend them.', ['strategy_discussions']),
    unit(2, 'I', 'Return home interviews are not always offered.', ['return_home_interviews', 'missing_children']),
    unit(3, 'S', 'Supervision is regular and reflective.', ['supervision', 'workforce']),
    unit(4, 'N', 'Strategy meetings were observed by inspectors.', ['strategy_discussions']),
  ];
  const r = evaluateThemes(units, cb);

  it('scores only evaluative units, per theme and micro-averaged over theme assignments', () => {
    expect(r.units).toBe(3);
    const by = new Map(r.perTheme.map((t) => [t.theme, t]));
    expect(by.get('strategy_discussions')).toMatchObject({ support: 1, tp: 1, fp: 0, fn: 0, f1: 1 });
    expect(by.get('return_home_interviews')).toMatchObject({ support: 1, tp: 1, fn: 0 });
    expect(by.get('missing_children')).toMatchObject({ support: 1, tp: 1, fn: 0 }); // through the implication
    expect(by.get('workforce')).toMatchObject({ support: 1, tp: 0, fn: 1, recall: 0 });
    const tp = r.perTheme.reduce((s, t) => s + t.tp, 0);
    const fp = r.perTheme.reduce((s, t) => s + t.fp, 0);
    const fn = r.perTheme.reduce((s, t) => s + t.fn, 0);
    expect(tp + fn).toBe(5);
    expect(r.micro.precision).toBeCloseTo(tp / (tp + fp));
    expect(r.micro.recall).toBeCloseTo(tp / (tp + fn));
    expect(r.micro.f1).toBeCloseTo((2 * r.micro.precision * r.micro.recall) / (r.micro.precision + r.micro.recall));
  });

  it('prints a table with every theme and the micro line', () => {
    const text = formatThemeEval(r);
    for (const t of cb.themes) expect(text).toContain(t.id);
    expect(text).toMatch(/micro\s+P [0-9.]+\s+R [0-9.]+\s+F1 [0-9.]+/);
  });
});

describe('bestCutOff (the theme scorer cut-off chosen on inner CV)', () => {
  const row = (z: number, gold: boolean) => ({ z, gold });

  it('lowers the cut-off below 0 when held-out positives score just under it, and counts the F1 at that cut-off', () => {
    // Two positives above 0, two just below it, negatives further down.
    const held = [row(2, true), row(0.5, true), row(-0.2, true), row(-0.4, true), row(-0.9, false), row(-3, false), row(-5, false)];
    const c = bestCutOff(held);
    expect(c.threshold).toBeLessThan(-0.4);
    expect(c.threshold).toBeGreaterThan(-0.9);
    expect(c.f1).toBe(1);
  });

  it('keeps 0 when the sign already gives the best F1, and never goes above 0 or below MIN_CUT_OFF', () => {
    expect(bestCutOff([row(1, true), row(0.3, true), row(-0.1, false), row(-0.2, false), row(-2, true)]).threshold).toBe(0);
    // The best cut-off on these rows would be far below MIN_CUT_OFF, or above 0: neither is taken.
    const far = bestCutOff([row(-20, true), row(-21, true), row(-30, false)]);
    expect(far.threshold).toBeGreaterThanOrEqual(MIN_CUT_OFF);
    const high = bestCutOff([row(5, true), row(1, false), row(0.5, false)]);
    expect(high.threshold).toBeLessThanOrEqual(0);
    expect(high.f1).toBeCloseTo(0.5, 6);
  });
});

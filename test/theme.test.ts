import { describe, expect, it } from 'vitest';
import type { Finding, LabelCode } from '../src/types.js';
import { CODE_TO_LABEL } from '../src/types.js';
import { readdirSync, readFileSync } from 'node:fs';
import { defaultThemeModel, loadCodebook, matchThemes, themeFinding, themeFindings, type Codebook } from '../src/theme/index.js';
import { validateCodebook } from '../src/theme/codebook.js';
import { scoredThemes } from '../src/theme/model.js';
import { makeSentence } from '../src/segment/sentence.js';

const cb = loadCodebook();

/** A finding as the tagger would hand it over (sentences written in the style of ILACS reports). */
function finding(text: string, code: LabelCode = 'S', sectionPath: string[] = [], index = 0, doc = 'test.txt'): Finding {
  return {
    ...makeSentence({ doc, index, text, sectionPath }),
    label: CODE_TO_LABEL[code],
    code,
    confidence: 1,
    evidence: [],
    clauses: [],
  };
}

// The codebook's own rules (model null): what a researcher's edits to the codebook do.
const themesOf = (text: string, code: LabelCode = 'S', section: string[] = []) => themeFinding(finding(text, code, section), cb, null).themes.map((h) => h.theme);
const hit = (text: string, theme: string, code: LabelCode = 'S') => themeFinding(finding(text, code), cb, null).themes.find((h) => h.theme === theme);

describe('themeFinding with the default codebook (its rules alone)', () => {
  it('tags the three themes users asked for, with the matched terms as evidence', () => {
    const s = hit('Strategy meetings are held promptly when risks escalate and police and health professionals attend them.', 'strategy_discussions');
    expect(s?.terms).toEqual(['strategy meetings']);
    expect(themesOf('Section 47 enquiries are thorough and children are seen alone.')).toContain('strategy_discussions');

    const sr = themeFinding(finding('Supervision is regular, but it is not consistently recorded on children’s files.', 'M'), cb, null).themes;
    expect(sr.map((h) => h.theme)).toEqual(['supervision', 'supervision_recording']);
    expect(sr.find((h) => h.theme === 'supervision_recording')!.terms).toEqual(['supervision + recorded']);
    // supervision matched on its own, so its evidence is the word itself rather than the implication
    expect(sr.find((h) => h.theme === 'supervision')!.terms).toEqual(['supervision']);

    const rhi = themeFinding(finding('Not all children who go missing are offered a return home interview.', 'I'), cb, null).themes;
    expect(rhi.map((h) => h.theme)).toEqual(['missing_children', 'return_home_interviews']);
    expect(rhi.find((h) => h.theme === 'return_home_interviews')!.terms).toContain('return home interview');
  });

  it('adds implied themes even when only the specific theme matched', () => {
    const themes = themeFinding(finding('The take-up of return interviews has increased.'), cb, null).themes;
    expect(themes.find((h) => h.theme === 'missing_children')!.terms).toEqual(['implied by return_home_interviews']);
  });

  it('applies exclusions: a health assessment is not a social work assessment', () => {
    expect(themesOf('Initial health assessments are not completed within statutory timescales.', 'I')).toEqual(['health_wellbeing']);
    expect(themesOf('Assessments are thorough and analyse risk well.')).toContain('assessments');
    expect(themesOf('Leaders are well placed to build on these strengths.')).not.toContain('placements_sufficiency');
    expect(themesOf('Too many children experience placement moves.', 'I')).toContain('placements_sufficiency');
    expect(themesOf('Children missing education are tracked closely.')).toEqual(['specialist_duties']);
  });

  it('uses multi-word domain vocabulary', () => {
    expect(themesOf('The MASH provides a timely response to contacts and referrals.')).toContain('front_door');
    expect(themesOf('Personal advisers keep in touch with care leavers and pathway plans are up to date.')).toEqual(['care_leavers']);
    expect(themesOf('The virtual school tracks the progress of children through their PEPs.')).toContain('education_virtual_school');
    expect(themesOf('The LADO responds swiftly to allegations against professionals.')).toContain('specialist_duties');
    expect(themesOf('Too many children are in pre-proceedings for too long.', 'I')).toContain('pre_proceedings');
    expect(themesOf('Managers have a clear oversight of children’s plans.')).toContain('management_oversight');
  });

  it('gives several themes to a sentence about several things, and none to a neutral sentence', () => {
    expect(themesOf('Independent reviewing officers make sure that children’s care plans progress towards permanence.')).toEqual(
      expect.arrayContaining(['permanence', 'iro_reviews']),
    );
    expect(themeFinding(finding('Strategy discussions took place on 14 March.', 'N'), cb).themes).toEqual([]);
  });

  it('uses the section path for care leavers', () => {
    const text = 'Young people are helped to find suitable jobs and courses.';
    expect(themesOf(text, 'S', ['The experiences and progress of care leavers: good'])).toContain('care_leavers');
    const h = themeFinding(finding(text, 'S', ['The experiences and progress of care leavers: good']), cb, null).themes.find((t) => t.theme === 'care_leavers');
    expect(h!.terms).toEqual(['section: The experiences and progress of care leavers: good']);
    expect(themesOf(text, 'S', ['The experiences and progress of children in care: good'])).not.toContain('care_leavers');
  });
});

describe('themeFindings (document order, codebook rules)', () => {
  it('carries themes to a follow-on sentence that starts with a continuation cue', () => {
    const docs = [
      finding('Strategy discussions are timely and well attended by partners.', 'S', ['Help and protection'], 0),
      finding('As a result, children are protected quickly.', 'S', ['Help and protection'], 1),
      finding('Children are protected quickly.', 'S', ['Help and protection'], 2),
    ];
    const out = themeFindings(docs, cb, null);
    expect(out[1].themes.map((h) => h.theme)).toEqual(out[0].themes.map((h) => h.theme));
    expect(out[1].themes[0].terms[0]).toMatch(/^continues previous sentence/);
    expect(out[2].themes).toEqual([]);
  });

  it('does not carry across a neutral sentence or a section change', () => {
    const docs = [
      finding('Strategy discussions are timely.', 'S', ['A'], 0),
      finding('This was seen in 12 cases.', 'N', ['A'], 1),
      finding('This helps children.', 'S', ['A'], 2),
      finding('This helps children.', 'S', ['B'], 3),
    ];
    const out = themeFindings(docs, cb, null);
    expect(out[2].themes).toEqual([]);
    expect(out[3].themes).toEqual([]);
  });
});

describe('a document themed a slice at a time (how the pipeline holds one slice of tokens)', () => {
  it('gives every finding of the seed documents the themes and emerging terms of the whole-document pass, wherever the slices are cut', async () => {
    const { ingest } = await import('../src/ingest/index.js');
    const { segment } = await import('../src/segment/index.js');
    const { tagSentences } = await import('../src/tag/index.js');
    const { ThemeSequence, documentTerms, TermTable } = await import('../src/theme/index.js');
    const files = readdirSync('corpus').filter((f) => f.endsWith('.txt')).sort();
    let carried = 0;
    for (const file of files) {
      const tagged = tagSentences(segment(await ingest({ file, path: `corpus/${file}`, format: 'txt' })).sentences);
      const whole = themeFindings(tagged, cb);
      // Cut after every finding: each continuation then crosses a slice boundary.
      const seq = new ThemeSequence(cb);
      const table = new TermTable(cb);
      const sliced = tagged.flatMap((f) => {
        const out = seq.next([f]);
        table.add(out);
        return out;
      });
      expect(sliced).toEqual(whole);
      expect(table.terms()).toEqual(documentTerms(whole, cb));
      carried += whole.filter((f) => f.themes.some((h) => h.terms.some((t) => t.startsWith('continues previous sentence')))).length;
    }
    // The seeds hold continuations, so the carry across slices was exercised.
    expect(carried).toBeGreaterThan(0);
  }, 60_000);
});

describe('learned theme scorers with the codebook', () => {
  const model = defaultThemeModel()!;
  it('the shipped model decides the themes that have a scorer, with its reasons as evidence', () => {
    expect(model).not.toBeNull();
    const decided = [...model.scorers].filter(([, s]) => s.use === 'model').map(([id]) => id);
    expect(decided.length).toBeGreaterThan(10);
    const f = themeFinding(finding('Strategy meetings are held promptly when risks escalate and police and health professionals attend them.'), cb);
    const s = f.themes.find((h) => h.theme === 'strategy_discussions');
    expect(s).toBeDefined();
    if (decided.includes('strategy_discussions')) expect(s!.terms.at(-1)).toMatch(/^model: /);
    expect(s!.terms[0]).toBe('strategy meetings');
  });
  it('a theme a researcher adds, with no training data, works from its rules alone', () => {
    const raw = JSON.parse(readFileSync(cb.source, 'utf8'));
    raw.themes.push({ id: 'kinship_care', category: raw.themes[0].category, name: 'Kinship care', description: 'children living with relatives', phrases: ['kinship carer', 'kinship carers'] });
    const mine = { ...validateCodebook(raw), hash: 'with-kinship', source: 'inline' };
    const f = themeFinding(finding('Kinship carers receive timely assessments and good support.'), mine);
    expect(f.themes.map((h) => h.theme)).toContain('kinship_care');
    expect(f.themes.find((h) => h.theme === 'kinship_care')!.terms).toEqual(['kinship carers']);
  });
  it('editing a scored theme\'s phrases still changes what it is given', () => {
    // A sentence about a topic the data never links to front_door, matched only by a phrase added here.
    const text = 'The duty desk gives families clear and timely advice.';
    expect(themeFinding(finding(text), cb).themes.map((h) => h.theme)).not.toContain('front_door');
    const raw = JSON.parse(readFileSync(cb.source, 'utf8'));
    const fd = raw.themes.find((t: { id: string }) => t.id === 'front_door');
    fd.phrases.push('duty desk');
    const edited = { ...validateCodebook(raw), hash: 'edited-front-door', source: 'inline' };
    expect(themeFinding(finding(text), edited).themes.map((h) => h.theme)).toContain('front_door');
    // The scorer trained on the unedited theme no longer decides it (its rules do) until retraining; the other scorers still decide.
    const model = defaultThemeModel()!;
    expect(model.scorers.get('front_door')?.use).toBe('model');
    expect(scoredThemes(model, edited).edited).toEqual(['front_door']);
    expect(scoredThemes(model, cb).edited).toEqual([]);
    expect(scoredThemes(model, edited).scored).toEqual(scoredThemes(model, cb).scored.filter((t) => t !== 'front_door'));
  });
});

describe('phrase syntax', () => {
  const book = (theme: Record<string, unknown>): Codebook => ({
    ...validateCodebook({ version: '1', categories: [{ id: 'c', name: 'C' }], themes: [{ id: 't', category: 'c', name: 'T', description: 'test theme', ...theme }] }),
    hash: JSON.stringify(theme),
    source: 'inline',
  });
  const ids = (b: Codebook, text: string) => {
    const s = makeSentence({ doc: 'd', index: 0, text });
    return matchThemes(b, s.tokens, s.stems).map((h) => h.theme);
  };

  it('matches plural forms but not derived words by default; ~ matches the Porter stem', () => {
    const b = book({ phrases: ['sufficiency'] });
    expect(ids(b, 'Sufficiency is a challenge.')).toEqual(['t']);
    expect(ids(b, 'Plans are sufficiently detailed.')).toEqual([]);
    expect(ids(book({ phrases: ['~assessment'] }), 'Risks are assessed well.')).toEqual(['t']);
    expect(ids(book({ phrases: ['strategy meeting'] }), 'Strategy meetings are held.')).toEqual(['t']);
  });

  it('supports exact words, prefixes and gaps', () => {
    expect(ids(book({ phrases: ['=missing'] }), 'Opportunities were missed.')).toEqual([]);
    expect(ids(book({ phrases: ['exploit*'] }), 'Children who are exploited are protected.')).toEqual(['t']);
    const gap = book({ phrases: ['referral * lado'] });
    expect(ids(gap, 'Referrals to the LADO are timely.')).toEqual(['t']);
    expect(ids(gap, 'Referrals are timely and the work of the LADO is strong.')).toEqual([]);
  });

  it('supports co-occurrence within a window and vetoes', () => {
    const b = book({ cooccur: [{ all: [['supervision'], ['recorded']], within: 4 }] });
    expect(ids(b, 'Supervision is well recorded.')).toEqual(['t']);
    expect(ids(b, 'Supervision happens monthly and in most cases the outcomes of visits to children are recorded.')).toEqual([]);
    const v = book({ phrases: ['recorded'], unless: ['supervision'] });
    expect(ids(v, 'Decisions are recorded.')).toEqual(['t']);
    expect(ids(v, 'Supervision is recorded.')).toEqual([]);
  });
});

/**
 * The S/I/M/N tagger on hard cases. Every sentence here is written for this test in the style of
 * Ofsted / council reports (none is taken from the evaluation data).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeSentence } from '../src/segment/sentence.js';
import { analyseDocument, splitClauses, tagSentence, tagSentences } from '../src/tag/index.js';
import { DEFAULT_PERCEPTRON, trainPerceptron } from '../src/tag/linear.js';
import { DEFAULT_LEXICON_PATH, LEXICON_LISTS, lexiconConflicts, loadLexicon, validateLexicon, type LexiconData } from '../src/tag/lexicon.js';
import { leadIns } from '../src/tag/features.js';
import { DEFAULT_MODEL_PATH, FEATURE_SET, MODEL_FORMAT, MODEL_FORMAT_VERSION, defaultModel, parseModel, serializeModel } from '../src/tag/model.js';
import type { Finding, LabelCode, Sentence } from '../src/types.js';
import { withoutShared } from './helpers.js';

function sentence(text: string, sectionPath: string[] = [], extra: Partial<Sentence> = {}): Sentence {
  return { ...makeSentence({ id: `t#${text.length}`, doc: 't', index: 0, text, sectionPath }), ...extra };
}

const code = (text: string, path: string[] = [], extra: Partial<Sentence> = {}): LabelCode => tagSentence(sentence(text, path, extra)).code;
/** The rule layer's label alone (one of the features the learned classifier weighs). */
const ruleCode = (text: string): LabelCode => tagSentence(sentence(text), null).code;
const kinds = (f: Finding) => f.evidence.map((e) => e.kind);

describe('negation scope and sentences with no negative word', () => {
  it.each([
    'Not all children who go missing from care are offered an interview when they return.',
    'Managers do not always record the rationale for their decisions.',
    'Plans to reduce the number of agency social workers are not yet embedded.',
    'There is no evidence of management oversight on the files of children in need.',
    'Too few foster carers are available to meet the needs of older children.',
    'Visits to children are not consistently timely.',
    'Assessments are not sufficiently analytical to inform plans.',
    'Senior leaders have not ensured that children placed out of area are seen regularly.',
  ])('I: %s', (text) => {
    const f = tagSentence(sentence(text));
    expect(f.code).toBe('I');
    expect(f.label).toBe('improvement');
    expect(kinds(f).some((k) => k === 'negation' || k === 'cue')).toBe(true);
  });

  it('a negated positive cue is reported as negation evidence pointing to I', () => {
    const f = tagSentence(sentence('Child protection plans are not always effective in reducing risk.'));
    expect(f.code).toBe('I');
    expect(f.evidence.some((e) => e.points === 'I' && /not always/.test(e.value))).toBe(true);
  });

  it('double negation and acting on a problem read as strengths', () => {
    expect(code('Children in need of protection do not experience delay in being seen by a social worker.')).toBe('S');
    expect(code('Social workers act without delay when risks to children increase.')).toBe('S');
    expect(code('The edge of care team reduces drift for children who are at risk of coming into care.')).toBe('S');
  });

  it('acting against a good is a weakness', () => {
    expect(code('High caseloads prevent social workers from completing timely visits to children.')).toBe('I');
  });

  it('rule layer: a negation inside a condition is not a finding', () => {
    expect(ruleCode('If a return home is not possible, permanence plans are progressed swiftly.')).toBe('S');
  });
});

describe('hedges and quantifiers', () => {
  it('"most" keeps a strength', () => {
    expect(code('Most children are seen regularly and their plans are reviewed promptly.')).toBe('S');
  });
  it('rule layer: a minority with a positive predicate is an area for improvement', () => {
    expect(ruleCode('Only a small minority of assessments are thorough and well analysed.')).toBe('I');
    expect(ruleCode('A small number of care leavers live in unsuitable accommodation.')).toBe('I');
  });
  it('"some" with a negative predicate is an area for improvement', () => {
    expect(code('Some care leavers wait too long for suitable accommodation.')).toBe('I');
  });
});

describe('comparatives and recommendations', () => {
  it.each([
    'The quality of pathway plans needs to improve.',
    'Direct work with children could be stronger.',
    'Direct work with children could be better.',
    'Leaders recognise the need to strengthen the oversight of children living in unregistered homes.',
    'Senior managers should ensure that supervision records show the reasons for decisions.',
  ])('I: %s', (text) => {
    const f = tagSentence(sentence(text));
    expect(f.code).toBe('I');
    expect(kinds(f)).toContain('comparative');
  });

  it('purpose clauses and needs of children are not comparatives', () => {
    expect(code('Children enter care when they need to, and they settle well with their carers.')).toBe('S');
    expect(code('Leaders have invested in additional posts to improve services for care leavers.')).toBe('S');
  });
});

describe('contrast: clause-level labels and mixed sentences', () => {
  it('splits contrastive sentences into clauses', () => {
    expect(splitClauses('Supervision is regular, but it is not well recorded.').map((c) => c.marker)).toEqual(['', 'but']);
    expect(splitClauses('Although plans are detailed, they are not reviewed often enough.').map((c) => [c.marker, c.concessive])).toEqual([
      ['although', true],
      ['', false],
    ]);
    expect(splitClauses('Often, while visits are frequent, records of them are brief.').length).toBe(2);
    expect(splitClauses('Visits are not only frequent but also purposeful.').length).toBe(1);
    expect(splitClauses('A small but growing number of children are placed at a distance.').length).toBe(1);
  });

  it.each([
    'Strategy discussions lead to the right action, but the rationale for decisions is not recorded.',
    'Supervision is regular, but it is not well recorded.',
    'While return home interviews are offered promptly, the information from them is not used to update plans.',
    'Personal advisers know their young people well; however, too many pathway plans are out of date.',
    'Social workers are skilled in direct work, whereas assessments are of variable quality.',
  ])('M: %s', (text) => {
    const f = tagSentence(sentence(text));
    expect(f.code).toBe('M');
    expect(f.label).toBe('mixed');
    expect(f.clauses.map((c) => c.label)).toEqual(expect.arrayContaining(['S', 'I']));
    expect(kinds(f)).toContain('contrast');
  });

  it('a hedged concession does not make a sentence mixed', () => {
    expect(code('Although there have been some improvements, practice remains inconsistent across teams.')).toBe('I');
  });

  it('a sentence-initial "However" labels the clause it introduces', () => {
    expect(code('However, this approach is not yet embedded in practice.')).toBe('I');
  });
});

describe('grade words and judgement rows', () => {
  it('follows the grade', () => {
    expect(code('Overall effectiveness: requires improvement to be good', [], { isHeading: true })).toBe('I');
    expect(code('The experiences and progress of care leavers: inadequate', [], { isHeading: true })).toBe('I');
    expect(code('The impact of leaders on social work practice with children and families Outstanding')).toBe('S');
    expect(code('The experiences and progress of children in care: good', [], { isHeading: true })).toBe('S');
  });
  it('"to be good" is part of the requires-improvement grade, not a strength', () => {
    const f = tagSentence(sentence('Services for children in care require improvement to be good.'));
    expect(f.code).toBe('I');
    expect(f.evidence.some((e) => e.points === 'S' && e.value === 'good')).toBe(false);
  });
  it('the council reporting its own positive judgement is a strength', () => {
    expect(code('This was a very positive inspection and the service was judged to be outstanding.')).toBe('S');
  });
});

describe('structure: headings, improvement sections and boilerplate', () => {
  const IMPROVE = ['Inspection of a local authority', 'What needs to improve?'];
  it('items under an improvement heading are I, even as bare noun phrases', () => {
    const f = tagSentence(sentence('The timeliness of initial health assessments for children new to care.', IMPROVE, { isListItem: true }));
    expect(f.code).toBe('I');
    expect(f.evidence.some((e) => e.kind === 'section' && e.points === 'I')).toBe(true);
    expect(code('The effective use of return home interviews to inform plans.', ['Areas for improvement'])).toBe('I');
  });
  it('a heading is N, including "What needs to improve"', () => {
    expect(code('What needs to improve?', ['Inspection of a local authority'], { isHeading: true, blockKind: 'heading' })).toBe('N');
    expect(code('Help and protection', [], { isHeading: true, blockKind: 'heading' })).toBe('N');
  });
  it('everything under a boilerplate heading of a council paper is N', () => {
    const cover = ['Report to: Children and Young People Scrutiny Panel', 'Wards affected: All'].map((t) => sentence(t));
    const items: [string, string][] = [
      ['The service makes effective use of its budget and has a strong record of financial control.', 'Financial implications'],
      ['An equality impact assessment found no negative effects on people with protected characteristics.', 'Equalities impact'],
      ['Email the report author with any questions.', 'Contact details'],
    ];
    const doc = [...cover, ...items.map(([t, h]) => sentence(t, [h]))].map((s, index) => ({ ...s, index, id: `b#${index}` }));
    const tagged = tagSentences(doc).slice(cover.length);
    expect(tagged.map((f) => f.code)).toEqual(['N', 'N', 'N']);
    expect(tagged.every((f) => f.evidence.some((e) => e.kind === 'boilerplate'))).toBe(true);
  });
  it('boilerplate sentences are N wherever they are', () => {
    expect(code('Lead inspector: Jane Example, His Majesty’s Inspector')).toBe('N');
    expect(code('For further information telephone 0300 123 4567 or email enquiries@example.gov.uk.')).toBe('N');
    expect(code('Inspectors looked at case records and spoke to social workers, managers and leaders.')).toBe('N');
  });
  it('planned work with no judgement of current practice is N', () => {
    expect(code('The council will launch a new recruitment campaign for foster carers in the spring.')).toBe('N');
  });
  it('tagSentences uses each sentence’s section path in order', () => {
    const doc = [
      sentence('What needs to improve', [], { isHeading: true, blockKind: 'heading' }),
      sentence('The consistency of management oversight of plans.', ['What needs to improve']),
      sentence('Help and protection', [], { isHeading: true, blockKind: 'heading' }),
      sentence('Children receive a timely and effective response at the front door.', ['Help and protection']),
    ];
    expect(tagSentences(doc).map((f) => f.code)).toEqual(['N', 'I', 'N', 'S']);
  });
});

describe('every finding carries label, confidence, evidence and clauses', () => {
  const texts = [
    'Social workers know their children well and visit them regularly.',
    'The rationale for decisions is not always recorded.',
    'Meetings are well attended, but actions are not followed up.',
    'Date: 12 March 2024',
    'When there is',
  ];
  it('is complete, and deterministic whatever was tagged before (no state carried between documents)', () => {
    const a = tagSentences(texts.map((t) => sentence(t)));
    // Warm every cache the tagger keeps (cue matches, heading features, clause splits) with other
    // text (a seed council paper, under other headings), then tag the same sentences again.
    const other = readFileSync('corpus/000_fb755f8668e80b0f.txt', 'utf8')
      .split(/\n\s*\n/)
      .filter((p) => p.trim().length > 20)
      .map((p, k) => sentence(p.replace(/\s+/g, ' ').trim(), [`Heading ${k % 7}`], { index: k }));
    expect(other.length).toBeGreaterThan(20);
    tagSentences(other);
    const b = tagSentences(texts.map((t) => sentence(t)));
    expect(b).toEqual(a);
    for (const f of a) {
      expect(['strength', 'improvement', 'mixed', 'neutral']).toContain(f.label);
      expect(f.confidence).toBeGreaterThanOrEqual(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.clauses.length).toBeGreaterThan(0);
    }
    expect(a.map((f) => f.code)).toEqual(['S', 'I', 'M', 'N', 'N']);
  });
  it('a clear case is more confident than a borderline one', () => {
    const clear = tagSentence(sentence('Practice is strong, effective and consistently timely, and children are safe.'));
    const weak = tagSentence(sentence('Children are offered support.'));
    expect(clear.confidence).toBeGreaterThan(weak.confidence);
  });
});

describe('lexicon conflicts are refused when the matcher compiles', () => {
  it('the shipped lexicon has none', () => {
    expect(lexiconConflicts(LEXICON_LISTS)).toEqual([]);
  });
  it('names a phrase with two roles, and a phrase listed twice', () => {
    const c = lexiconConflicts({ 'comparative cues': ['could be better', 'needs to improve'], 'neutral phrases': ['as well as', 'Could  be better'], 'strength cues': ['creative', 'timely', 'creative'] });
    expect(c).toEqual(['"could be better" is in comparative cues and neutral phrases: a phrase takes one role', '"creative" is listed 2 times in strength cues']);
  });
  const shipped = () => JSON.parse(readFileSync(DEFAULT_LEXICON_PATH, 'utf8')) as LexiconData;
  it('the lexicon is data: data/lexicon.json validates, and loading refuses a conflict, a bad pattern or a short prefix', () => {
    expect(loadLexicon().strength.length).toBeGreaterThan(0);
    const twoRoles = shipped();
    twoRoles.neutral.push(twoRoles.comparative[0]!.phrases[0]!);
    expect(() => validateLexicon(twoRoles, 'test')).toThrow(/has conflicts: .* is in comparative cues and neutral phrases/);
    const badPattern = shipped();
    badPattern.patterns.boilerplate.push({ pattern: '(unclosed', flags: 'i' });
    expect(() => validateLexicon(badPattern, 'test')).toThrow(/patterns\.boilerplate\.\d+: pattern does not compile/);
    const shortPrefix = shipped();
    shortPrefix.improvement[0]!.phrases.push('de*');
    expect(() => validateLexicon(shortPrefix, 'test')).toThrow(/at least three letters before "\*"/);
    const missing = shipped() as Partial<LexiconData>;
    delete missing.negators;
    expect(() => validateLexicon(missing, 'test')).toThrow(/negators/);
  });
});

describe('learned classifier and its model file', () => {
  const texts = [
    'Social workers visit children regularly and know them well.',
    'Plans are not always reviewed when circumstances change.',
    'Supervision is regular, but it is not recorded.',
    'Lead inspector: Jane Example',
    'Leaders have commissioned a review of the front door.',
  ];
  const sents = () => texts.map((t, index) => ({ ...sentence(t, []), index, id: `w#${index}` }));
  /** A model trained to contradict the rules: if the model decides, the labels follow it. */
  const contrary = ['N', 'S', 'N', 'I', 'S'] as const;
  const trainContrary = () => {
    const d = analyseDocument(sents());
    const examples = d.features.flatMap((features, k) => Array.from({ length: 5 }, () => ({ features, label: contrary[k]! })));
    return trainPerceptron(examples, { ...DEFAULT_PERCEPTRON, minCount: 1 });
  };

  it('the model makes the decision, and its evidence names the features that decided it', () => {
    const rules = tagSentences(sents(), null).map((f) => f.code);
    const model = { id: 'contrary', classifier: trainContrary() };
    const tagged = tagSentences(sents(), model);
    // The model decides everything but the boilerplate line ("Lead inspector: ..."), which the codebook makes N.
    expect(tagged.map((f) => f.code)).toEqual(['N', 'S', 'N', 'N', 'S']);
    expect(tagged[3]!.evidence.some((e) => e.kind === 'boilerplate')).toBe(true);
    expect(tagged.map((f) => f.code)).not.toEqual(rules);
    const ev = tagged[0]!.evidence;
    expect(ev.find((e) => e.kind === 'model')?.value).toMatch(/^contrary: N \(p=[01]\.\d\d; rules alone: S\)/);
    const features = ev.filter((e) => e.kind === 'feature');
    expect(features.length).toBeGreaterThan(0);
    for (const f of features) expect(f.value).toMatch(/^(rule|word|phrase|starts with|previous sentence|next sentence|heading word|section word|clause word|block|previous block|length|ends with|shape|register|base rate)/);
  });

  it('round-trips through the versioned format and refuses another feature set or format', () => {
    const model = trainContrary();
    const json = serializeModel('test', model, DEFAULT_PERCEPTRON, { dataSha256: 'x', units: 5, documents: 1, labelCounts: {} });
    const back = parseModel(json);
    const f = analyseDocument(sents()).features[1]!;
    expect(back.classifier.scores(f)).toEqual(model.scores(f));
    expect(serializeModel('test', back.classifier as typeof model, DEFAULT_PERCEPTRON, { dataSha256: 'x', units: 5, documents: 1, labelCounts: {} })).toBe(json);
    expect(() => parseModel(json.replace(`"formatVersion": ${MODEL_FORMAT_VERSION}`, '"formatVersion": 999'))).toThrow(/unsupported format/);
    expect(() => parseModel(json.replace(`"featureSet": "${FEATURE_SET}"`, '"featureSet": "other/1"'))).toThrow(/npm run train/);
    expect(() => parseModel('{ not json')).toThrow(/not JSON/);
  });

  it('training is deterministic', () => {
    const a = serializeModel('t', trainContrary(), DEFAULT_PERCEPTRON, { dataSha256: 'x', units: 5, documents: 1, labelCounts: {} });
    const b = serializeModel('t', trainContrary(), DEFAULT_PERCEPTRON, { dataSha256: 'x', units: 5, documents: 1, labelCounts: {} });
    expect(b).toBe(a);
  });

  it('the shipped model has this code\'s format and feature set and is loaded once', () => {
    const file = JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
    expect(file.format).toBe(MODEL_FORMAT);
    expect(file.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(file.featureSet).toBe(FEATURE_SET);
    expect(file.training.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(defaultModel()).toBe(defaultModel());
  });
});

describe('document register: council committee papers', () => {
  const paper = (items: [string, string[], boolean?][]) =>
    items.map(([text, path, heading], index) => ({ ...sentence(text, path, heading ? { isHeading: true, blockKind: 'heading' } : {}), index, id: `p#${index}` }));
  const doc = paper([
    ['Report to: Children and Families Scrutiny Committee', []],
    ['Wards affected: All', []],
    ['Recommendations', [], true],
    ['That the committee notes the outcome of the focused visit.', ['Recommendations']],
    ['For members to consider the action plan at a future meeting.', ['Recommendations']],
    ['Background', [], true],
    ['The letter from Ofsted is not published on the council website until the council has responded.', ['Background']],
    ['Ofsted found that social workers know their children well.', ['Background']],
    ['Too many children wait too long for health assessments.', ['Background']],
  ]);
  it('recommendations to members are not areas for improvement, procedure is not criticism', () => {
    const codes = tagSentences(doc).map((f) => f.code);
    expect(codes).toEqual(['N', 'N', 'N', 'N', 'N', 'N', 'N', 'S', 'I']);
  });
  it('a parenthetical in a body heading does not make it boilerplate; a real boilerplate heading does', () => {
    const body = 'DETAIL (Including consultation carried out)';
    const withBody = paper([
      ['Report to: Cabinet', []],
      ['Wards affected: All', []],
      [body, [], true],
      ['Inspectors found that management oversight of casework is strong and decisions are timely.', [body]],
      ['Return home interviews are not consistently offered to children who go missing.', [body]],
      ['Consultation', [], true],
      ['Staff were consulted and their views were strongly positive.', ['Consultation']],
    ]);
    expect(tagSentences(withBody).map((f) => f.code)).toEqual(['N', 'N', 'N', 'S', 'I', 'N', 'N']);
  });
  it('the same procedural negation in an inspection report reads as a criticism', () => {
    expect(code('Plans are not published to families.')).toBe('I');
  });
  it('a list item takes the words of the sentence that opens its list (the part a heading plays in a report)', () => {
    const item = (text: string) => ({ isListItem: true, blockKind: 'list_item' as const, text });
    const listed = paper([
      ['Report to: Cabinet', []],
      ['Wards affected: All', []],
      ['Findings', [], true],
      ['The letter lists the following areas for improvement:', ['Findings']],
      ['The timeliness of initial health assessments', ['Findings']],
      ['Oversight of private fostering arrangements', ['Findings']],
      ['Members asked about the cost of agency staff.', ['Findings']],
      ['Consistency of supervision', ['Findings']],
    ]).map((s, k) => (k === 4 || k === 5 || k === 7 ? { ...s, ...item(s.text) } : s));
    expect(leadIns(listed)).toEqual([undefined, undefined, undefined, undefined, 3, 3, undefined, undefined]);
    const f = analyseDocument(listed).features;
    expect(f[4]).toContain('li:improvement');
    expect(f[5]).toContain('li:following');
    // A paragraph ends the list: the item after it has no lead-in.
    expect(f[7]!.some((x) => x.startsWith('li:'))).toBe(false);
  });
});

describe('a long document is tagged a slice at a time', () => {
  const SAMPLE = '../shared/corpus-ofsted-sample';
  it.skipIf(withoutShared(SAMPLE))('gives every sentence of twelve real reports read as one document the labels and evidence of the whole-document pass', async () => {
    const { readdirSync } = await import('node:fs');
    const { ingest } = await import('../src/ingest/index.js');
    const { segment } = await import('../src/segment/index.js');
    const { TAG_CHUNK, decideSentence } = await import('../src/tag/index.js');
    const files = readdirSync(SAMPLE).filter((f) => f.endsWith('.pdf')).sort().slice(0, 12);
    const sentences: Sentence[] = [];
    for (const f of files) {
      const doc = segment(await ingest({ file: f, path: `${SAMPLE}/${f}`, format: 'pdf' }));
      for (const s of doc.sentences) sentences.push({ ...s, doc: 'all', index: sentences.length, id: `all#${sentences.length}` });
    }
    // Several slices, and list items whose lead-in lies in the slice before.
    expect(sentences.length).toBeGreaterThan(2 * TAG_CHUNK);
    const sliced = tagSentences(sentences);
    const whole = analyseDocument(sentences);
    const model = defaultModel();
    const differ = sentences.filter((_, k) => {
      const d = decideSentence(whole, k, model);
      return d.code !== sliced[k]!.code || JSON.stringify(d.evidence) !== JSON.stringify(sliced[k]!.evidence);
    });
    expect(differ.map((s) => s.id)).toEqual([]);
    expect(sliced.map((f) => f.id)).toEqual(sentences.map((s) => s.id));
  }, 120_000);
});

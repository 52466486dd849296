/**
 * Cue lexicon for the S/I/M/N tagger: generic English / Ofsted-register evaluative phrases.
 *
 * Phrases are written as space-separated tokens, matched against the sentence's lower-cased
 * word tokens (apostrophes removed, so "doesn't" -> "doesnt"). A token ending in `*` matches
 * any token with that prefix. Weights are rough strengths: 1 = weak hint, 2 = clear, 3 = decisive.
 *
 * None of these phrases is taken from the evaluation data: they are the ordinary vocabulary
 * of inspection judgements (see the codebook's own examples).
 */

export type Polarity = 'S' | 'I';

export interface CueDef {
  phrase: string;
  points: Polarity;
  weight: number;
  /** Evidence kind: cue, comparative, grade, hedge, negation. */
  kind?: string;
}

const s = (weight: number, ...phrases: string[]): CueDef[] => phrases.map((phrase) => ({ phrase, points: 'S', weight }));
const i = (weight: number, ...phrases: string[]): CueDef[] => phrases.map((phrase) => ({ phrase, points: 'I', weight }));
const k = (kind: string, defs: CueDef[]): CueDef[] => defs.map((d) => ({ ...d, kind }));

/** Positive evaluative cues (a negator in scope flips them to I). */
export const STRENGTH_CUES: CueDef[] = [
  ...s(2, 'effective', 'effectively', 'strong', 'strongly', 'robust', 'robustly', 'thorough', 'thoroughly', 'timely', 'prompt', 'promptly',
    'swift', 'swiftly', 'rigorous', 'rigorously', 'comprehensive', 'high quality', 'highquality', 'well', 'skilled', 'skilful', 'skilfully',
    'purposeful', 'purposefully', 'meaningful', 'excellent', 'exceptional', 'exceptionally', 'impressive', 'successful', 'successfully',
    'sensitive', 'sensitively', 'creative', 'creatively', 'tenacious', 'tenaciously', 'child centred', 'childcentred', 'child focused',
    'insightful', 'reflective', 'proactive', 'proactively', 'pro active', 'decisive', 'decisively', 'appropriate', 'appropriately', 'improved', 'improving',
    'improvements', 'strengthened', 'strengths', 'strength', 'consistently', 'consistent', 'clear', 'clearly', 'detailed', 'positive', 'positively',
    'confident', 'confidently', 'committed', 'dedicated', 'passionate', 'ambitious', 'aspirational', 'enthusiastic', 'caring', 'warm', 'nurturing',
    'stable', 'secure', 'safe', 'safer', 'benefit', 'benefits', 'benefited', 'benefiting', 'benefitting', 'thoughtful', 'thoughtfully', 'carefully', 'careful',
    'accurate', 'accurately', 'focused on', 'well focused', 'sharply focused', 'clearly focused', 'targeted', 'responsive', 'quickly', 'at pace', 'embedded', 'well established', 'established', 'sustained',
    'progressed', 'helpful', 'helps', 'helped', 'enables', 'enabled', 'enabling', 'ensures', 'ensure', 'ensured', 'ensuring', 'supportive', 'supported',
    'valued', 'trusted', 'trusting', 'enjoy', 'enjoys', 'happy', 'proud', 'pride', 'celebrate*', 'praised', 'rightly', 'right', 'sound',
    'proportionate', 'knowledgeable', 'curious', 'curiosity', 'are experienced', 'is experienced', 'highly experienced', 'experienced staff', 'experienced social workers', 'experienced practitioners', 'experienced managers', 'capable', 'motivated', 'resilient', 'respectful', 'respectfully', 'attentive', 'persistent',
    'persistently', 'diligent', 'diligently', 'regular', 'regularly', 'routinely', 'fewer delays',
    'well attended', 'better', 'an improvement', 'improvement in', 'improvements in', 'wide range', 'range of', 'good range', 'a difference', 'positive difference', 'real difference', 'holistic', 'flourish*', 'thrive', 'thriving',
    'achieve', 'achieving', 'achieved', 'achievements', 'notable', 'innovative', 'collaborative', 'collaboratively', 'cohesive', 'coherent', 'joined up',
    'listened', 'heard', 'understand', 'understands', 'understood', 'know', 'knows', 'manageable', 'low caseloads', 'stability',
    'good quality', 'strong relationships', 'careful consideration'),
  ...s(1, 'in place', 'make sure', 'makes sure', 'useful', 'seen regularly', 'visited regularly', 'maintained', 'maintain', 'improvement', 'progress',
    'increased', 'suitable', 'closely', 'expertly', 'frequently', 'early', 'earliest', 'inclusive', 'enhanced', 'enhance', 'enhances',
    'promoted', 'promotes', 'continuous', 'accessible', 'in line with', 'within timescales',
    'investment', 'invested', 'available', 'meet their needs', 'meets their needs', 'meet the needs', 'meets the needs', 'identified early', 'fully',
    'actively', 'aware', 'priority', 'prioritised', 'prioritise', 'tailored', 'bespoke', 'personalised', 'individualised', 'specialist',
    'intensive', 'extensive', 'well placed', 'best placed', 'improve', 'improves', 'develop', 'developed', 'recognised', 'recognise', 'understanding',
    'opportunities', 'encouraged', 'empower*', 'celebrat*', 'imaginative', 'enriching', 'stable homes', 'settled', 'together', 'jointly',
    'agreed', 'shared', 'considered', 'explored', 'sought', 'ensure that', 'help'),
  ...k('grade', s(3, 'outstanding', 'good', 'very good', 'highly effective', 'highly skilled', 'exemplary')),
];

/** Negative evaluative cues (a negator in scope weakens or flips them to S). */
export const IMPROVEMENT_CUES: CueDef[] = [
  ...k('grade', i(3, 'requires improvement', 'require improvement', 'required improvement', 'requiring improvement')),
  ...i(3, 'too long', 'too late', 'too slow', 'too slowly', 'too many', 'too few', 'too much', 'too often', 'too high', 'too low', 'too narrow', 'too variable',
    'too reliant', 'too early', 'too quickly', 'too soon', 'not always', 'not yet', 'not consistently', 'not sufficiently', 'not enough', 'not all', 'not every',
    'not routinely', 'not regularly', 'not fully', 'no evidence', 'little evidence', 'limited evidence', 'lack of', 'lacks', 'lacking', 'inconsistent', 'not followed up', 'not acted on',
    'inconsistently', 'inconsistency', 'inconsistencies', 'variable', 'variability', 'varies', 'vary', 'weak', 'weaker', 'poorer', 'weakest', 'poorest', 'weakness', 'weaknesses', 'poor', 'poorly', 'inadequate',
    'ineffective', 'ineffectively', 'insufficient', 'insufficiently', 'deteriorat*', 'declin*', 'drift', 'drifted', 'delay', 'delays', 'delayed', 'shortfall*',
    'deficit*', 'failure', 'failures', 'failed to', 'fail to', 'fails to', 'unsafe', 'unclear', 'unmet', 'unacceptabl*', 'unnecessar*', 'inappropriate',
    'inappropriately', 'superficial', 'over optimistic', 'overly', 'vague', 'incomplete', 'out of date', 'outdated', 'not up to date', 'overdue', 'backlog*',
    'gaps', 'gap', 'high caseloads', 'high workloads', 'caseloads are too', 'workloads are too', 'turnover', 'churn', 'instability', 'unstable', 'shortage*',
    'over reliance', 'overreliance', 'rarely', 'seldom', 'serious concerns', 'deficien*', 'harmful', 'left in', 'remain at risk', 'remained at risk', 'worse', 'worsen*', 'lengthy', 'protracted', 'generic', 'fragmented',
    'disjointed', 'piecemeal', 'ad hoc', 'confusing', 'convoluted', 'errors', 'mistake*', 'flawed', 'weakened', 'hamper*', 'hinder*', 'impeded',
    'undermin*', 'compromis*', 'minimal', 'only partially', 'partially', 'patchy', 'uneven', 'unevenly', 'not recorded', 'not evident', 'not evidenced',
    'not considered', 'not addressed', 'not understood', 'not effective', 'not effectively', 'not timely', 'not well', 'not clear', 'not clearly', 'not robust',
    'struggle*', 'shortcoming*', 'overstretched', 'fall short', 'falls short', 'fell short', 'below expectations', 'lapse*', 'not as',
    'no clear', 'no plan', 'no record'),
  ...i(2, 'limited', 'slow', 'slowly', 'late', 'difficult', 'difficulties', 'waiting', 'wait', 'waits', 'pressure', 'pressures', 'vacanc*', 'descriptive',
    'absence of', 'absent', 'missed', 'lost', 'narrow', 'narrowly', 'confused', 'reliance on', 'lower than', 'below', 'drop*', 'decreas*',
    'significant concern*', 'worried', 'varied', 'unsuccessful', 'unsuccessfully', 'critical of', 'not active', 'inactive', 'not sufficient', 'underdevelop*', 'undeveloped', 'unregistered',  'unauthorised', 'constraint*', 'impacted on',
    'very few', 'subjected to', 'no longer', 'unsuitable', 'unplanned', 'unallocated'),
  ...i(1, 'only', 'less', 'fewer', 'low', 'serious', 'still', 'remain', 'remains', 'remained', 'challenges', 'challenging', 'overwhelmed'),
];

/** Comparative and recommendation cues: something needs to change (always I, not subject to negation flipping). */
export const COMPARATIVE_CUES: CueDef[] = k('comparative', [
  ...i(3, 'needs to improve', 'need to improve', 'needs to be improved', 'improvement is needed', 'improvements are needed', 'improvement is required',
    'improvements are required', 'room for improvement', 'needs to', 'need to', 'needed to', 'should', 'must', 'could be stronger', 'could be better', 'could be improved', 'could be more', 'would benefit',
    'would be strengthened', 'would be improved', 'further work', 'further development', 'further improvement', 'further improvements', 'more work',
    'more needs to', 'more to do', 'scope to', 'still to', 'yet to', 'is required to', 'are required to', 'recognise the need', 'recognises the need',
    'recognised the need', 'the need to improve', 'the need to strengthen', 'is needed', 'are needed',
    'not as well', 'not as strong', 'not as effective', 'less effective', 'less well', 'less timely', 'less consistent', 'less robust', 'be strengthened',
    'to be strengthened', 'to be improved', 'to be better', 'needs to increase', 'needs strengthening',
    'require strengthening', 'requires strengthening', 'needs further', 'need further', 'requires further', 'require further', 'are yet', 'is yet'),
]);

/**
 * Negators. A positive cue within NEG_SCOPE tokens after one of these is flipped to I
 * ("does not always receive timely ..."); a negative cue in scope is flipped to a weak S
 * ("without delay", "there is no drift"); with nothing in scope the negator itself is a weak I cue.
 */
export const NEGATORS: string[] = [
  'not', 'no', 'never', 'nor', 'neither', 'without', 'lack', 'cannot', 'can not',
  'is not', 'are not', 'was not', 'were not', 'does not', 'do not', 'did not', 'has not', 'have not', 'had not', 'will not', 'could not', 'are no',
  'is no', 'there is no', 'there are no',
  'doesnt', 'dont', 'didnt', 'isnt', 'arent', 'wasnt', 'werent', 'hasnt', 'havent', 'hadnt', 'cant', 'couldnt', 'wont', 'none',
];
/** Tokens right after a negator that cancel it ("not only", "no longer", "no doubt"...). */
export const NEGATION_CANCEL: string[] = ['only', 'longer', 'matter', 'doubt', 'least', 'surprisingly', 'exception'];
export const NEG_SCOPE = 6;
/**
 * I cues that also take a following positive cue into their scope (the positive word is then part
 * of the criticism, not a strength): "not always timely", "insufficiently robust", "too reliant".
 */
export const FLIPPERS: string[] = [
  'not always', 'not yet', 'not consistently', 'not sufficiently', 'not enough', 'not all', 'not every', 'not routinely', 'not regularly', 'not fully',
  'insufficient', 'insufficiently', 'inconsistent', 'inconsistently', 'lack of', 'lacks', 'lacking', 'variable', 'limited', 'rarely', 'seldom', 'only partially',
  'partially', 'no evidence', 'little evidence', 'limited evidence', 'not as', 'too long', 'too late', 'too slow', 'too few', 'too many', 'too often', 'less',
  'fail to', 'fails to', 'failed to', 'absence of', 'unable to', 'no clear', 'overly', 'over optimistic', 'undermin*', 'hamper*', 'hinder*', 'impeded',
  'compromis*', 'very few', 'no evidence', 'not as', 'too soon', 'too early',
];
/**
 * Reversers: acting on a problem is good, acting against a good is bad. A negative cue in scope
 * becomes a weak S ("reduces delay", "prevents drift"); a positive cue in scope becomes I
 * ("prevents children from receiving timely help").
 */
export const REVERSERS: string[] = [
  'reduce', 'reduces', 'reduced', 'reducing', 'prevent', 'prevents', 'prevented', 'preventing', 'avoid', 'avoids', 'avoided', 'avoiding', 'minimise', 'minimises',
  'minimised', 'minimising', 'tackle', 'tackles', 'tackled', 'tackling', 'address', 'addresses', 'addressed', 'addressing', 'overcome', 'overcoming', 'mitigate',
  'mitigates', 'mitigated', 'mitigating', 'resolve', 'resolves', 'resolved', 'resolving', 'remedy', 'remedied', 'eliminate', 'eliminated', 'stop', 'stopped',
  'challenge', 'challenged', 'counter', 'counters', 'counteract*',
];
/**
 * Neutral phrases consumed before cue matching because they contain cue words used
 * non-evaluatively ("when they need to", "as well as", "focused visit", "risk of").
 */
export const NEUTRAL_PHRASES: string[] = [
  'when they need to', 'if they need to', 'who need to', 'that need to', 'as they need to', 'they need to', 'should they', 'should it', 'needs to happen',
  'need to happen', 'what needs to', 'as well as', 'focused visit', 'focused visits', 'risk of', 'at risk', 'concerns about', 'where there are concerns', 'when there are concerns',
  'well being', 'wellbeing', 'improvement plan', 'improvement board', 'improvement programme', 'improvement journey', 'improvement partner', 'quality assurance',
  'good practice guidance', 'in need', 'children in need', 'child in need', 'need of', 'not only', 'whether or not', 'if not', 'or not', 'no one', 'no matter',
  'right to', 'rights', 'high risk', 'higher level', 'low level', 'lower level', 'missing from', 'go missing', 'going missing', 'went missing',
  'to be good', 'judged to be', 'attention deficit', 'the most', 'most recent', 'most recently', 'at most', 'be better', 'since the last', 'last inspection',
];
/** Boundary tokens that end a negation scope. */
export const SCOPE_BREAK: string[] = ['but', 'and', 'which', 'when', 'because', 'as', 'so', 'although', 'while', 'whereas', 'however', 'or', 'who'];

/** Quantifier hedges. `minority` hedges turn a positive clause into I; `majority` keep it S. */
export const HEDGE_MINORITY: string[] = [
  // "not all", "not every", "too few" are improvement cues (their hedge reading is the same: I).
  'a minority', 'a small minority', 'a small number', 'a few', 'only a few', 'only some', 'only a small', 'only a minority',
  'not many', 'few', 'some but not all',
];
/** Majority quantifiers strong enough to make a bare description a strength ("Most plans are reviewed"). */
export const STRONG_MAJORITY: string[] = ['most', 'the majority', 'a majority', 'nearly all', 'almost all', 'the vast majority', 'the overwhelming majority'];
export const HEDGE_MAJORITY: string[] = [
  'most', 'the majority', 'a majority', 'nearly all', 'almost all', 'the vast majority', 'all', 'many', 'mostly', 'largely', 'generally', 'overwhelmingly',
];
export const HEDGE_SOME: string[] = ['some', 'for some', 'in some', 'sometimes', 'in a few', 'at times', 'occasionally'];

/** Planning / work-under-way language: with no stronger cue the sentence is neutral. */
export const PLANNING_CUES: string[] = [
  // history and context of the service: descriptive, not a judgement
  'appointed', 'has undergone', 'have undergone', 'underwent', 'delegated', 'commissioned', 'launched', 'interim', 'substantive', 'previously', 'was judged',
  'were judged', 'at the time of', 'moving forward', 'aspiration', 'restructure', 'restructured', 'transferred', 'includes', 'include', 'comprises', 'consists of',
  'a number of', 'complex needs', 'there are a', 'is responsible for', 'are responsible for', 'is led by', 'are led by', 'was established', 'were established',
  'will', 'plans to', 'plan to', 'intends to', 'since the last inspection', 'since the previous inspection', 'a change in', 'changes to the',
  'new chief executive', 'in response to', 'intend to', 'is developing', 'are developing', 'is being', 'are being', 'has commissioned',
  'have commissioned', 'is undergoing', 'are undergoing', 'going forward', 'next steps', 'action plan', 'proposed', 'proposal', 'consult*', 'is due', 'are due',
  'in the process of', 'further developing', 'is considering', 'are considering', 'considering', 'exploring', 'work is under way', 'under way', 'underway', 'to be launched', 'pilot*', 'was undertaken', 'were undertaken', 'took place',
];

/** Contrast markers that split a sentence into clauses. `concessive` markers introduce the weaker clause. */
export const CONTRAST_MARKERS: { word: string; concessive: boolean }[] = [
  { word: 'but', concessive: false },
  { word: 'however', concessive: false },
  { word: 'although', concessive: true },
  { word: 'though', concessive: true },
  { word: 'even though', concessive: true },
  { word: 'while', concessive: true },
  { word: 'whilst', concessive: true },
  { word: 'whereas', concessive: false },
  { word: 'despite', concessive: true },
  { word: 'in spite of', concessive: true },
  { word: 'notwithstanding', concessive: true },
  { word: 'yet', concessive: false },
  { word: 'nevertheless', concessive: false },
  { word: 'nonetheless', concessive: false },
  { word: 'except', concessive: false },
  { word: 'apart from', concessive: false },
  { word: 'in contrast', concessive: false },
  { word: 'conversely', concessive: false },
];

/** Headings whose items are areas for improvement. */
export const IMPROVEMENT_HEADING_RE =
  /\b(what needs to (?:improve|be improved|happen)|what (?:the )?(?:local authority|council|leaders?|partners?) (?:needs?|should) to|areas? (?:for|of|requiring|needing|to) (?:improvement|development|improve|develop)|areas? for further development|recommendations?(?! of the report)|priority actions?|what (?:still )?needs? (?:to )?(?:further )?(?:improvement|development)|weakness(?:es)?|areas? of concern|required actions?)\b/i;

/** Headings of boilerplate sections: everything under them is N. */
export const BOILERPLATE_HEADING_RE =
  /\b(equalit(?:y|ies)|diversity impact|financial|finance|budget|legal (?:implications|considerations)|contact (?:details|information|name|officer)|background papers|glossary|data protection|privacy|cookies?|risk (?:management|implications)|consultation|report author|wards? affected|statement of confidentiality|procurement|property implications|human resources implications|environmental|climate|sustainability implications|crime and disorder|other options considered|policy framework|key decision|forward plan|information about (?:this|the) (?:inspection|local authority)|inspection dates|signed|document information)\b/i;

/** Sentence-level boilerplate patterns: these sentences are N. */
export const BOILERPLATE_RES: RegExp[] = [
  /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/, // e-mail
  /\bhttps?:\/\/|\bwww\./i,
  /\b(?:tel|telephone|phone|textphone|fax)\b[:.]?\s*[+\d(]/i,
  /\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b/, // UK phone numbers
  /\binspection dates?\b/i,
  /\blead inspector\b/i,
  /\b(?:his|her) majesty'?s inspectors?\b/i,
  /\bcrown copyright\b|©/i,
  /\binspectors (?:evaluated|looked at|considered|reviewed|spoke|met|visited|sampled|tracked|examined|scrutinised)\b/i,
  /\bthe purpose of this (?:report|letter|paper)\b/i,
  /\bthis (?:letter|report) (?:summarises|sets out|provides|outlines|seeks|informs)\b/i,
  /\b(?:cabinet|committee|panel|board|members?|council)\s+(?:is\s+|are\s+)?(?:asked\s+|requested\s+|invited\s+|recommended\s+)?(?:to\s+)?(?:note|notes|noted|approve|approves|agree|agrees|endorse|endorses|comment|consider|considers)\b/i,
  /\bunder (?:section|regulation) \d/i,
  /\b(?:page|pp?\.) \d+\s*(?:of \d+)?\s*$/i,
  /^\s*(?:date|title|report (?:of|from|to)|decision[- ]maker|subject|author|contact|wards? affected)\s*:/i,
  /\bthe local authority (?:was|were) (?:last )?inspected\b/i,
  /\bprevious (?:inspection|judgement)s? (?:was|were|rated|judged)\b/i,
];

/**
 * Markers of a council committee paper (as opposed to an inspection report or letter): headings
 * and labels of the report template. Two or more in a document put it in the council register.
 */
export const COUNCIL_REGISTER_RE =
  /^\s*(?:report (?:to|of|from|author)|decision[- ]maker|date of (?:decision|meeting)|wards? affected|key decision|forward plan|cabinet member|portfolio holder|purpose of (?:the|this) report|background papers|financial implications|legal implications|equalit(?:y|ies) (?:impact|implications)|reasons? for (?:the )?(?:report )?recommendations?|recommendations?\s*:?\s*$|(?:that|for) (?:the )?(?:cabinet|committee|panel|board|members?) (?:to )?notes?\b)/i;

/** Grade words and judgement phrases: decisive on their own (a judgement-table row follows its grade). */
export const GRADE_RES: { re: RegExp; points: Polarity; value: string; weight: number }[] = [
  { re: /\brequires? improvement(?: to be good)?\b/i, points: 'I', value: 'requires improvement', weight: 4 },
  { re: /\binadequate\b/i, points: 'I', value: 'inadequate', weight: 4 },
  { re: /\boutstanding\b/i, points: 'S', value: 'outstanding', weight: 4 },
  { re: /(?<!to be )\bgood\b/i, points: 'S', value: 'good', weight: 3 },
];

/** Every list of phrases the matcher compiles, by role (a phrase may have one role and appear once). */
export const LEXICON_LISTS: Readonly<Record<string, readonly string[]>> = {
  'strength cues': STRENGTH_CUES.map((c) => c.phrase),
  'improvement cues': IMPROVEMENT_CUES.map((c) => c.phrase),
  'comparative cues': COMPARATIVE_CUES.map((c) => c.phrase),
  negators: NEGATORS,
  'minority hedges': HEDGE_MINORITY,
  'majority hedges': HEDGE_MAJORITY,
  "'some' hedges": HEDGE_SOME,
  'planning cues': PLANNING_CUES,
  reversers: REVERSERS,
  'neutral phrases': NEUTRAL_PHRASES,
};

/**
 * Conflicts in a lexicon: a phrase in two roles (only one of them could ever match, silently), or
 * twice in one list. The matcher refuses to compile a lexicon with any.
 */
export function lexiconConflicts(lists: Readonly<Record<string, readonly string[]>>): string[] {
  const where = new Map<string, string[]>();
  for (const [list, phrases] of Object.entries(lists)) {
    for (const p of phrases) {
      const key = p.trim().toLowerCase().replace(/\s+/g, ' ');
      if (!where.has(key)) where.set(key, []);
      where.get(key)!.push(list);
    }
  }
  const out: string[] = [];
  for (const [p, lists_] of where) {
    if (lists_.length < 2) continue;
    const distinct = [...new Set(lists_)];
    out.push(distinct.length === 1 ? `"${p}" is listed ${lists_.length} times in ${distinct[0]}` : `"${p}" is in ${distinct.join(' and ')}: a phrase takes one role`);
  }
  return out;
}

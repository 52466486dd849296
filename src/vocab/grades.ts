/**
 * The vocabulary of Ofsted judgements, in one place: the grades as a typed union, the words
 * reports write them in (one pattern, composed into every regular expression that reads a grade:
 * judgement tables, graded headings, overall-judgement sentences), and their parsing.
 */

/** Judgement grades: the four-point scale, and the earlier frameworks' "adequate". */
export const GRADES = ['outstanding', 'good', 'requires_improvement', 'inadequate', 'adequate'] as const;
export type Grade = (typeof GRADES)[number];

/**
 * A four-point judgement as reports write it, as regular-expression source without groups:
 * "outstanding", "good", "requires improvement" (or "require improvement", "... to be good"),
 * "inadequate". Compose it (`new RegExp(\`…(${JUDGEMENT})…\`, 'i')`); match case-insensitively.
 */
export const JUDGEMENT = 'outstanding|good|requires? improvement(?: to be good)?|inadequate';

/** JUDGEMENT or the earlier frameworks' "adequate" (2009–2013 reports, "Grade 3 (adequate)"). */
export const JUDGEMENT_OR_ADEQUATE = `${JUDGEMENT}|adequate`;

const GRADE_IN_TEXT = new RegExp(`\\b(${JUDGEMENT_OR_ADEQUATE})\\b`, 'i');

/** The first grade a text names ("Requires improvement to be good" -> requires_improvement), or undefined. */
export function parseGrade(s: string): Grade | undefined {
  // A grade cell whose "Requires" sits on the line above: "improvement to be good".
  if (/^\s*improvement\b/i.test(s)) return 'requires_improvement';
  const m = GRADE_IN_TEXT.exec(s);
  if (!m) return undefined;
  const g = m[1]!.toLowerCase();
  return g.startsWith('require') ? 'requires_improvement' : (g as Grade);
}

/**
 * Codebook `sections` patterns, run by a linear-time regular-expression engine (re2js, a port of
 * RE2): a pattern such as `^(a+)+$` cannot backtrack catastrophically on a long heading. RE2 has no
 * look-around or back-references; a pattern that uses them is refused when the codebook loads.
 */
import { RE2JS } from 're2js';

export interface SectionPattern {
  readonly source: string;
  test(heading: string): boolean;
}

/** Compile a section pattern (case-insensitive); throws Error with the reason when RE2 cannot run it. */
export function compileSectionPattern(source: string): SectionPattern {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    const msg = (err as Error).message.replace(/^error parsing regexp: /, '');
    throw new Error(`${msg} (section patterns use RE2 syntax: no look-around or back-references)`);
  }
  return { source, test: (heading) => re.matcher(heading).find() };
}

/**
 * The vocabulary of councils, in one place: how a council's name is compared across sources (the
 * gazetteer, manifests, folder names, statistical-neighbour tables, `--focus`), the name outputs
 * give a document whose council is not known, and "did you mean" among council names.
 */
import { editDistance } from '../util/distance.js';

/** The council of a document whose metadata names none (outputs, charts and `--focus`). */
export const UNKNOWN_COUNCIL = 'Unknown';

const COUNCIL_AFFIXES =
  /\b(?:london borough of|royal borough of|metropolitan borough of|borough of|city and county of|county of|city of|council of the|metropolitan borough council|metropolitan district council|metropolitan council|borough council|county council|city council|district council|unitary authority|council|corporation)\b/g;

/**
 * Canonical key for a council name, the same for every spelling a source uses ("Barnsley
 * Metropolitan District Council" = "Barnsley"; "Bristol, City of" = "Bristol"; "&" = "and";
 * accents and punctuation dropped).
 */
export function normaliseCouncilName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bst\.\s/g, 'st ')
    .replace(COUNCIL_AFFIXES, ' ')
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/**
 * The council name nearest to a mistyped one (edit distance on the normalised names, at most a
 * quarter of the name's length and at least 2), or undefined when none is near.
 */
export function nearestCouncil(given: string, names: Iterable<string>): string | undefined {
  const want = normaliseCouncilName(given);
  if (!want) return undefined;
  const limit = Math.max(2, Math.floor(want.length / 4));
  let best: string | undefined;
  let bestD = Infinity;
  for (const name of names) {
    const d = editDistance(want, normaliseCouncilName(name));
    if (d < bestD || (d === bestD && best !== undefined && name < best)) [best, bestD] = [name, d];
  }
  return bestD <= limit ? best : undefined;
}

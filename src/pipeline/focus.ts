/**
 * `--focus` checked before any document is read: it must name a council the corpus can have, an
 * English council of the gazetteer (by any spelling of its name, or its ONS code) or a council
 * that the manifest or the folder names give. A council the corpus turns out not to hold is
 * refused after the analysis (aggregate/benchmark.ts resolveCouncil): which councils the
 * documents are about is only known once they are read.
 */
import type { SourceFile } from '../types.js';
import { Gazetteer } from '../ingest/gazetteer.js';
import { UserError } from '../util/errors.js';
import { nearestCouncil, normaliseCouncilName, UNKNOWN_COUNCIL } from '../vocab/councils.js';

/** Council names the files' manifest rows and folder names give. */
function givenCouncils(files: readonly SourceFile[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    for (const row of [f.manifest, f.layout]) {
      const name = (row?.local_authority || row?.council || '').trim();
      if (name) names.add(name);
    }
  }
  return names;
}

/** Refuse (UserError, exit 2) a `--focus` that no document of `files` can be about, suggesting the nearest council name. */
export function checkFocus(given: string, files: readonly SourceFile[]): void {
  const gaz = Gazetteer.load();
  const want = normaliseCouncilName(given);
  if (gaz.byOnsCode(given) || gaz.lookup(given)) return;
  const named = givenCouncils(files);
  const codes = new Set(files.flatMap((f) => [f.manifest?.ons_code, f.layout?.ons_code]).filter((c): c is string => !!c).map((c) => c.trim().toUpperCase()));
  if (codes.has(given.trim().toUpperCase())) return;
  if ([...named, UNKNOWN_COUNCIL].some((n) => normaliseCouncilName(n) === want)) return;
  const near = nearestCouncil(given, [...gaz.authorities.flatMap((a) => [a.name, ...a.aliases]), ...named]);
  const canonical = near ? (gaz.lookup(near)?.name ?? near) : undefined;
  const what = want ? 'names no English council and no council of the manifest or folder names' : 'is empty';
  throw new UserError(`--focus "${given}" ${what}${canonical ? `; did you mean --focus "${canonical}"?` : '; give a council name or ONS code, e.g. --focus Hampshire'}`);
}

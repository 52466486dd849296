/**
 * Gazetteer of English local authorities (children's services authorities, current and
 * historic) with ONS codes and regions: the project's own data file data/local_authorities.csv.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../util/paths.js';
import Papa from 'papaparse';
import { normaliseCouncilName } from '../vocab/councils.js';

export interface LocalAuthority {
  name: string;
  onsCode: string;
  region: string;
  laType: string;
  status: 'current' | 'abolished';
  aliases: string[];
  formerCodes: string[];
  successors: string[];
}

/** data/local_authorities.csv, resolved from src/ingest (tsx) or dist/src/ingest (built). */
function dataPath(): string {
  return join(REPO_ROOT, 'data', 'local_authorities.csv');
}

const split = (s: string | undefined) =>
  (s ?? '')
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);

let cached: Gazetteer | undefined;

export class Gazetteer {
  readonly authorities: LocalAuthority[];
  private readonly byKey = new Map<string, LocalAuthority>();
  private readonly byCode = new Map<string, LocalAuthority>();
  /** One alternation of every name and alias, longest first (case-sensitive, word-bounded). */
  readonly mentionPattern: RegExp;
  private readonly nameOf = new Map<string, LocalAuthority>();

  constructor(rows: LocalAuthority[]) {
    this.authorities = rows;
    const variants: string[] = [];
    for (const la of rows) {
      this.byCode.set(la.onsCode, la);
      for (const c of la.formerCodes) this.byCode.set(c, la);
      for (const n of [la.name, ...la.aliases]) {
        this.byKey.set(normaliseCouncilName(n), la);
        if (n.length >= 4 && /^[A-Z]/.test(n)) {
          variants.push(n);
          this.nameOf.set(n, la);
        }
      }
    }
    variants.sort((a, b) => b.length - a.length || a.localeCompare(b));
    const esc = variants.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
    this.mentionPattern = new RegExp(`(?<![\\p{L}-])(?:${esc.join('|')})(?![\\p{L}-])`, 'gu');
  }

  static load(): Gazetteer {
    if (!cached) {
      const text = readFileSync(dataPath(), 'utf8');
      const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
      cached = new Gazetteer(
        parsed.data.map((r) => ({
          name: r.name!.trim(),
          onsCode: r.ons_code!.trim(),
          region: r.region!.trim(),
          laType: (r.la_type ?? '').trim(),
          status: (r.status ?? 'current').trim() === 'abolished' ? 'abolished' : 'current',
          aliases: split(r.aliases),
          formerCodes: split(r.former_codes),
          successors: split(r.successors),
        })),
      );
    }
    return cached;
  }

  /** Find an authority by any spelling of its name ("London Borough of Croydon", "Stoke-On-Trent", "Hull City Council"). */
  lookup(name: string): LocalAuthority | undefined {
    const k = normaliseCouncilName(name);
    return this.byKey.get(k) ?? this.byKey.get(k.replace(/^the /, ''));
  }

  byOnsCode(code: string): LocalAuthority | undefined {
    return this.byCode.get(code.trim().toUpperCase());
  }

  /** The authority a matched mention refers to. */
  fromMention(mention: string): LocalAuthority | undefined {
    return this.nameOf.get(mention.replace(/\s+/g, ' ')) ?? this.lookup(mention);
  }
}

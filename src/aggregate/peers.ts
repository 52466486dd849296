/**
 * Statistical-neighbour tables, shaped like DfE's benchmarking tool export and
 * ../shared/reference/la_lookup.csv: one row per local authority with its `la_code`, names,
 * ONS codes and `stat_neighbours` (a comma-separated list of ten la_codes).
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { UserError } from '../util/errors.js';
import { normaliseCouncilName } from '../vocab/councils.js';

export interface PeerEntry {
  laCode: string;
  /** Display name (first name column that has a value). */
  name: string;
  /** Normalised names (all name columns). */
  names: string[];
  /** ONS codes (all code columns). */
  onsCodes: string[];
  /** la_codes of the statistical neighbours, in the table's order. */
  neighbours: string[];
}

export interface PeerTable {
  source: string;
  entries: PeerEntry[];
}

const NAME_COLUMNS = ['local_authority_ons_name', 'la_name', 'local_authority', 'council', 'name', 'also_known_as', 'ofsted_ilacs_scrape_la_name', 'utla23nm', 'ltla23nm'];
const isOnsColumn = (c: string) => /^(la_code_new|ons_code|lad\d\dcd|ltla\d\dcd|utla\d\dcd|ltla\d\d_ons|new_la_code)$/.test(c);
const ONS_CODE = /^[EWSN]\d{8}$/;

const splitList = (v: string) =>
  v
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Parse a neighbour table; throws UserError with a one-line message when it is malformed. */
export function parsePeers(text: string, source: string): PeerTable {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim().toLowerCase() });
  const fields = parsed.meta.fields ?? [];
  const bad = parsed.errors.find((e) => e.type !== 'Delimiter');
  if (bad) throw new UserError(`peers file ${source} is not valid CSV: ${bad.message} (row ${(bad.row ?? 0) + 2})`);
  const nameCols = NAME_COLUMNS.filter((c) => fields.includes(c));
  const missing = [!fields.includes('la_code') && 'la_code', !fields.includes('stat_neighbours') && 'stat_neighbours', !nameCols.length && 'a name column (local_authority_ons_name)'].filter(Boolean);
  if (missing.length) throw new UserError(`peers file ${source} has no ${missing.join(', ')} column (expected the shape of la_lookup.csv: la_code, local_authority_ons_name, stat_neighbours)`);
  const onsCols = fields.filter(isOnsColumn);
  const entries: PeerEntry[] = [];
  const seen = new Set<string>();
  parsed.data.forEach((row, i) => {
    const laCode = (row.la_code ?? '').trim();
    if (!laCode) throw new UserError(`peers file ${source} row ${i + 2}: empty la_code`);
    if (seen.has(laCode)) throw new UserError(`peers file ${source} row ${i + 2}: duplicate la_code ${laCode}`);
    seen.add(laCode);
    const rawNames = nameCols.map((c) => (row[c] ?? '').trim()).filter(Boolean);
    if (!rawNames.length) throw new UserError(`peers file ${source} row ${i + 2}: no local authority name`);
    entries.push({
      laCode,
      name: rawNames[0],
      names: [...new Set(rawNames.map(normaliseCouncilName))],
      onsCodes: [...new Set(onsCols.map((c) => (row[c] ?? '').trim().toUpperCase()).filter((v) => ONS_CODE.test(v)))],
      neighbours: splitList(row.stat_neighbours ?? ''),
    });
  });
  if (!entries.length) throw new UserError(`peers file ${source} has no rows`);
  return { source, entries };
}

/** Read a neighbour table from disk (UserError when unreadable or malformed). */
export function loadPeers(path: string): PeerTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`peers file not found: ${path}`);
  }
  return parsePeers(text, path);
}

/** The table entry for a council: by ONS code when both have one, else by normalised name. */
export function findPeerEntry(table: PeerTable, council: string, onsCode: string): PeerEntry | undefined {
  const code = onsCode.trim().toUpperCase();
  if (code) {
    const byCode = table.entries.find((e) => e.onsCodes.includes(code));
    if (byCode) return byCode;
  }
  const name = normaliseCouncilName(council);
  return name ? table.entries.find((e) => e.names.includes(name)) : undefined;
}

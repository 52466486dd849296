import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_CODEBOOK_PATH, loadCodebook } from '../src/theme/codebook.js';
import { UserError } from '../src/util/errors.js';

const SPEC = resolve(process.cwd(), '../shared/spec/codebook.md');

/** Theme ids and their category names from the spec's theme table (category cells carry over). */
function specThemes(): { id: string; category: string }[] {
  const out: { id: string; category: string }[] = [];
  let category = '';
  for (const line of readFileSync(SPEC, 'utf8').split('\n')) {
    const m = line.match(/^\|\s*([^|]*?)\s*\|\s*`([a-z_]+)`\s*\|/);
    if (!m) continue;
    if (m[1]) category = m[1];
    out.push({ id: m[2], category });
  }
  return out;
}

const defaultJson = () => JSON.parse(readFileSync(DEFAULT_CODEBOOK_PATH, 'utf8'));

function writeTemp(json: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'it-codebook-'));
  const path = join(dir, 'codebook.json');
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json, null, 2));
  return path;
}

function loadError(json: unknown): string {
  try {
    loadCodebook(writeTemp(json));
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected the codebook to be rejected');
}

describe('default codebook', () => {
  const cb = loadCodebook();

  it('implements every theme id of the spec, in the spec category, with a display name, description and rules', () => {
    const spec = specThemes();
    expect(spec.length).toBe(30);
    const catName = new Map(cb.categories.map((c) => [c.id, c.name.toLowerCase()]));
    for (const s of spec) {
      const t = cb.themes.find((x) => x.id === s.id);
      expect(t, s.id).toBeDefined();
      expect(catName.get(t!.category)).toBe(s.category.toLowerCase());
      expect(t!.name.length).toBeGreaterThan(2);
      expect(t!.description.length).toBeGreaterThan(10);
      expect(t!.phrases.length + t!.cooccur.length).toBeGreaterThan(0);
    }
    expect(cb.themes.map((t) => t.id).sort()).toEqual(spec.map((s) => s.id).sort());
  });

  it('declares the implications the spec asks for', () => {
    expect(cb.themes.find((t) => t.id === 'supervision_recording')!.implies).toContain('supervision');
    expect(cb.themes.find((t) => t.id === 'return_home_interviews')!.implies).toContain('missing_children');
  });

  it('has a stable content hash', () => {
    expect(cb.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loadCodebook().hash).toBe(cb.hash);
  });
});

describe('codebook validation names the bad entry', () => {
  it('rejects a theme without a name', () => {
    const json = defaultJson();
    delete json.themes[3].name;
    const msg = loadError(json);
    expect(msg).toContain(`themes[3] (id "${json.themes[3].id}")`);
    expect(msg).toContain('name');
  });

  it('rejects a bad theme id', () => {
    const json = defaultJson();
    json.themes.push({ ...json.themes[0], id: 'Kinship Care' });
    const msg = loadError(json);
    expect(msg).toContain('id "Kinship Care"');
    expect(msg).toContain('lower_snake_case');
  });

  it('rejects an implication of an unknown theme', () => {
    const json = defaultJson();
    json.themes[0].implies = ['no_such_theme'];
    expect(loadError(json)).toMatch(/themes\[0\] \(id "early_help"\): implies unknown theme "no_such_theme"/);
  });

  it('rejects duplicate ids, unknown categories and malformed phrases', () => {
    const json = defaultJson();
    json.themes.push({ ...json.themes[1] });
    json.themes[2].category = 'nowhere';
    json.themes[4].phrases = ['* strategy'];
    const msg = (() => {
      try {
        loadCodebook(writeTemp(json));
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    // Schema problems are reported first (the bad phrase); fix it and the cross-entry checks report the rest.
    expect(msg).toContain(`themes[4] (id "${json.themes[4].id}").phrases[0]`);
    json.themes[4].phrases = ['strategy'];
    const msg2 = loadError(json);
    expect(msg2).toContain(`duplicate theme id`);
    expect(msg2).toContain(`unknown category "nowhere"`);
  });

  it('rejects a bad section pattern and an unknown field', () => {
    const json = defaultJson();
    json.themes[5].sections = ['care (leavers'];
    json.themes[6].phrase = ['typo for phrases'];
    const msg = loadError(json);
    expect(msg).toContain('bad section pattern');
    expect(msg).toMatch(/themes\[6\].*phrase/);
  });

  it('rejects invalid JSON and a missing file with the path', () => {
    expect(loadError('{ "version": ')).toMatch(/not valid JSON/);
    expect(() => loadCodebook('/nonexistent/codebook.json')).toThrow(/codebook not found: \/nonexistent\/codebook.json/);
  });
});

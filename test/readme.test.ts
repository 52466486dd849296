/** The README's project layout stays true to the tree: every source file is named in it, and every path it names exists. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const readme = readFileSync('README.md', 'utf8');
const layout = readme.slice(readme.indexOf('## Project layout'));

const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

describe('README: project layout', () => {
  it('names every file under src/ (by its path, or by its name in its folder\'s row)', () => {
    expect(layout.length).toBeGreaterThan(1000);
    const rows = layout.split('\n').filter((l) => l.startsWith('| `'));
    const missing = files('src')
      .filter((f) => f.endsWith('.ts'))
      .map((f) => relative('.', f))
      .filter((f) => {
        if (layout.includes(`\`${f}\``)) return false;
        const folder = f.slice(0, f.lastIndexOf('/') + 1);
        const name = f.slice(folder.length);
        return !rows.some((r) => r.startsWith(`| \`${folder}`) && r.includes(`\`${name}\``));
      });
    expect(missing).toEqual([]);
  });

  it('names no src/ path that does not exist', () => {
    const named = [...layout.matchAll(/`(src\/[\w./-]+)`/g)].map((m) => m[1]!.replace(/,$/, ''));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((p) => !existsSync(p))).toEqual([]);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverCorpus } from '../src/ingest/discover.js';
import { UserError } from '../src/util/errors.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const TEXT = 'Leaders know their services well. Social workers visit children regularly.\n';

/** A corpus folder with two text documents and the given manifest. */
function corpus(manifest: string, files = ['kent_2019.txt', 'leeds_2021.txt']): string {
  const d = mkdtempSync(join(tmpdir(), 'it-manifest-'));
  dirs.push(d);
  for (const f of files) writeFileSync(join(d, f), TEXT);
  writeFileSync(join(d, 'manifest.csv'), manifest);
  return d;
}

async function failure(dir: string): Promise<UserError> {
  try {
    await discoverCorpus(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(2);
    return err as UserError;
  }
  throw new Error('expected discoverCorpus to fail');
}

describe('manifest validation', () => {
  it('attaches valid rows to their files, trimmed, with known and extra columns', async () => {
    const l = await discoverCorpus(corpus('file,local_authority,date,document_type\nkent_2019.txt, Kent ,2019-03-01,full_inspection\nleeds_2021.txt,Leeds,,\n'));
    expect(l.files.map((f) => [f.file, f.manifest?.local_authority, f.manifest?.date])).toEqual([
      ['kent_2019.txt', 'Kent', '2019-03-01'],
      ['leeds_2021.txt', 'Leeds', ''],
    ]);
    expect(l.manifestWarnings).toEqual([]);
  });

  it('warns, naming the line, when the manifest names a file that is not in the folder', async () => {
    const l = await discoverCorpus(corpus('file,local_authority\nkent_2019.txt,Kent\nnorfolk_2020.pdf,Norfolk\nleeds_2021.txt,Leeds\n'));
    expect(l.manifestWarnings).toHaveLength(1);
    expect(l.manifestWarnings[0]).toMatch(/line 3: names norfolk_2020\.pdf, which is not in the corpus folder/);
    expect(l.files).toHaveLength(2);
  });

  it('refuses a misspelt column (it would silently lose that metadata), naming line 1 and the likely column', async () => {
    const e = await failure(corpus('file,local_authority,pubished\nkent_2019.txt,Kent,2019-03-01\n'));
    expect(e.message).toMatch(/line 1: unknown column 'pubished' \(did you mean 'published'\?\)/);
  });

  it('keeps an unrelated extra column with a warning', async () => {
    const l = await discoverCorpus(corpus('file,local_authority,inspector_team\nkent_2019.txt,Kent,North\n'));
    expect(l.manifestWarnings.join('\n')).toMatch(/line 1: unknown column 'inspector_team'/);
    expect(l.files[0].manifest?.inspector_team).toBe('North');
  });

  it.each([
    ['2019-13-01', 'month 13'],
    ['2019-02-30', 'no 30 February'],
    ['01/03/2019', 'not ISO'],
    ['March 2019', 'words'],
  ])('refuses a bad date %s (%s), naming the line and column', async (date) => {
    const e = await failure(corpus(`file,local_authority,published\nkent_2019.txt,Kent,2019-03-01\nleeds_2021.txt,Leeds,${date}\n`));
    expect(e.message).toContain(`line 3: bad date '${date}' in column 'published' (expected YYYY-MM-DD)`);
  });

  it('refuses a duplicate file, naming both lines', async () => {
    const e = await failure(corpus('file,local_authority\nkent_2019.txt,Kent\nleeds_2021.txt,Leeds\nkent_2019.txt,Kent County\n'));
    expect(e.message).toMatch(/line 4: duplicate file kent_2019\.txt \(already on line 2\)/);
  });

  it('treats ./name and name as the same file when checking duplicates', async () => {
    const e = await failure(corpus('file\nkent_2019.txt\n./kent_2019.txt\n'));
    expect(e.message).toMatch(/line 3: duplicate file kent_2019\.txt/);
  });

  it.each([['../secret.pdf'], ['reports/../../secret.pdf'], ['/etc/passwd'], ['C:\\Users\\x\\report.pdf'], ['https://example.org/r.pdf']])(
    'refuses a path outside the corpus folder: %s',
    async (path) => {
      const e = await failure(corpus(`file,local_authority\nkent_2019.txt,Kent\n"${path}",Leeds\n`));
      expect(e.message).toMatch(/line 3: file .* (outside the corpus folder|absolute path or URL)/);
    },
  );

  it('refuses an unknown document_type, listing the allowed values', async () => {
    const e = await failure(corpus('file,document_type\nkent_2019.txt,inspection\n'));
    expect(e.message).toMatch(/line 2: unknown document_type 'inspection' \(one of full_inspection, focused_visit/);
  });

  it('reads a document_type written as words ("Focused visit", "monitoring-visit") as the type it names', async () => {
    const dir = corpus('file,local_authority,document_type\nkent_2019.txt,Kent,Focused visit\nleeds_2021.txt,Leeds,monitoring-visit\n');
    const l = await discoverCorpus(dir);
    expect(l.manifestWarnings).toEqual([]);
    const { runPipeline } = await import('../src/pipeline/run.js');
    const out = mkdtempSync(join(tmpdir(), 'it-manifest-out-'));
    dirs.push(out);
    const r = await runPipeline({ corpusDir: dir, outDir: out, cacheDir: null, workers: 0 });
    expect(r.aggregates.documents.map((d) => [d.file, d.meta.documentType])).toEqual([
      ['kent_2019.txt', 'focused_visit'],
      ['leeds_2021.txt', 'monitoring_visit'],
    ]);
  });

  it('refuses a row with the wrong number of fields, and a manifest without a file column', async () => {
    expect((await failure(corpus('file,local_authority\nkent_2019.txt,Kent,extra\n'))).message).toMatch(/line 2: 3 fields, but the header has 2/);
    expect((await failure(corpus('name,local_authority\nkent_2019.txt,Kent\n'))).message).toMatch(/line 1: no 'file' column/);
  });

  it('counts lines correctly across a quoted field that spans lines', async () => {
    const e = await failure(corpus('file,notes\nkent_2019.txt,"first line\nsecond line"\nleeds_2021.txt,ok\nkent_2019.txt,again\n'));
    expect(e.message).toMatch(/line 5: duplicate file kent_2019\.txt \(already on line 2\)/);
  });

  it('lists every problem in one message (so a long manifest is fixed in one go)', async () => {
    const e = await failure(corpus('file,published\nkent_2019.txt,2019-99-01\n../x.pdf,\nleeds_2021.txt,yesterday\n'));
    expect(e.message.split('\n').filter((l) => /^\s+line \d+:/.test(l))).toHaveLength(3);
  });

  it('reads a manifest with a UTF-8 byte-order mark and CRLF line ends', async () => {
    const l = await discoverCorpus(corpus('\uFEFFfile,local_authority\r\nkent_2019.txt,Kent\r\nleeds_2021.txt,Leeds\r\n'));
    expect(l.files.map((f) => f.manifest?.local_authority)).toEqual(['Kent', 'Leeds']);
  });
});

describe('manifest line ends', () => {
  it('reads a manifest that mixes CRLF and LF line ends (edited by hand)', async () => {
    const l = await discoverCorpus(corpus('file,local_authority\r\nkent_2019.txt,Kent\nleeds_2021.txt,Leeds\r\n'));
    expect(l.files.map((f) => f.manifest?.local_authority)).toEqual(['Kent', 'Leeds']);
  });
});

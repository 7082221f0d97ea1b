import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { fileSource } from '../../src/papers/sources/file.js';
import { createSource, type HuggingFaceOptions } from '../../src/papers/sources/index.js';
import { sampleSource } from '../../src/papers/sources/sample.js';
import { fixturesDir } from '../helpers/files.js';

const folder = mkdtempSync(join(tmpdir(), 'paperboy-sources-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

for (const day of ['2025-10-03', '2026-08-21']) copyFileSync(join(fixturesDir, `${day}.json`), join(folder, `${day}.json`));

const hfOptions: HuggingFaceOptions = {
  baseUrl: 'http://127.0.0.1:9',
  timeoutMs: 100,
  retries: 0,
  backoffMs: 0,
  pageSize: 10,
  maxPages: 1,
  userAgent: 'test',
};

async function rejection(promise: Promise<unknown>): Promise<PaperboyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PaperboyError);
  return error as PaperboyError;
}

describe('file source', () => {
  it('reads the day asked from a folder of YYYY-MM-DD.json files', async () => {
    const source = await createSource(`file:${folder}`, hfOptions);
    expect(source.name).toBe(`file:${folder}`);
    expect(source.onlyDay).toBeUndefined();
    const october = await source.fetchDay('2025-10-03');
    expect(october.papers).toHaveLength(39);
    expect(october.papers.every((p) => p.day === '2025-10-03')).toBe(true);
    expect((await source.fetchDay('2026-08-21')).papers).toHaveLength(17);
  });

  it('a folder without the day gives an empty feed', async () => {
    const source = await fileSource('file:x', folder);
    expect(await source.fetchDay('2025-10-04')).toEqual({ day: '2025-10-04', papers: [], skipped: [] });
  });

  it('a single dated file names its day and refuses another with a SOURCE error', async () => {
    const source = await fileSource('file:one', join(folder, '2026-08-21.json'));
    expect(source.onlyDay).toBe('2026-08-21');
    expect((await source.fetchDay('2026-08-21')).papers).toHaveLength(17);
    const error = await rejection(source.fetchDay('2026-08-22'));
    expect(error.code).toBe('SOURCE');
    expect(error.message).toContain('holds the papers of 2026-08-21, not 2026-08-22');
  });

  it('an undated file serves any day', async () => {
    const path = join(folder, 'saved.json');
    copyFileSync(join(fixturesDir, '2025-01-21.json'), path);
    const source = await fileSource('file:saved', path);
    expect(source.onlyDay).toBeUndefined();
    const feed = await source.fetchDay('2030-05-05');
    expect(feed.papers.map((p) => [p.id, p.day])).toEqual([['2501.08325', '2030-05-05']]);
  });

  it('a missing path is a SOURCE error, invalid JSON a FEED error', async () => {
    expect((await rejection(fileSource('file:nope', join(folder, 'nope')))).code).toBe('SOURCE');
    const broken = join(folder, '2020-01-01.json');
    writeFileSync(broken, '[{"paper": ');
    const error = await rejection((await fileSource('file:broken', folder)).fetchDay('2020-01-01'));
    expect(error.code).toBe('FEED');
    expect(error.message).toContain('is not valid JSON');
  });

  it('a recorded broken day is a FEED error', async () => {
    copyFileSync(join(fixturesDir, '2024-12-11.json'), join(folder, '2024-12-11.json'));
    const error = await rejection((await fileSource('file:x', folder)).fetchDay('2024-12-11'));
    expect(error.code).toBe('FEED');
  });
});

describe('sample source and createSource', () => {
  it('the sample source serves its papers for any day', async () => {
    const source = await createSource('sample', hfOptions);
    expect(source.name).toBe('sample');
    for (const day of ['2020-02-29', '2031-12-31']) {
      const feed = await source.fetchDay(day);
      expect(feed.skipped).toEqual([]);
      expect(feed.papers).toHaveLength(12);
      expect(feed.papers.every((p) => p.day === day)).toBe(true);
    }
    expect((await sampleSource().fetchDay('2026-01-01')).papers[0]!.id).toBe('2510.02283');
  });

  it('createSource builds hf and rejects an unknown spec with CONFIG', async () => {
    expect((await createSource('hf', hfOptions)).name).toBe('hf');
    for (const spec of ['ftp', 'file:', '']) {
      const error = await rejection(createSource(spec, hfOptions));
      expect(error.code).toBe('CONFIG');
    }
  });
});

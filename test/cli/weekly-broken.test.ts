import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('paperboy-weekly-broken-');
afterAll(dir.remove);

/** The two deliberately broken recorded days: Python-repr strings in an array, and a wrapper object. */
const brokenFiles = { strings: fixture('2024-12-11'), wrapper: fixture('2025-01-10') };

/** A folder source whose days are copies of recorded files: { '2024-12-23': path, … }. */
function feedFolder(name: string, days: Record<string, string>): string {
  const folder = join(dir.path, name);
  mkdirSync(folder);
  for (const [day, file] of Object.entries(days)) copyFileSync(file, join(folder, `${day}.json`));
  return folder;
}

const env = { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };
const paperboy = (data: string, args: string[]) => runCli(['--data-dir', join(dir.path, data), ...args], { cwd: dir.path, env });

describe('a week whose weekdays are all broken (2024-W52 made of the broken recorded files)', () => {
  const broken = { '2024-12-23': brokenFiles.strings, '2024-12-24': brokenFiles.strings, '2024-12-25': brokenFiles.wrapper, '2024-12-26': brokenFiles.wrapper };
  const feeds = feedFolder('w52', broken);

  it('send --weekly exits 3 in one line naming every broken day and its file, as a daily send on one of them does; nothing is frozen', async () => {
    const weekly = await paperboy('w52-data', ['send', '--weekly', '--date', '2024-W52', '--source', `file:${feeds}`]);
    expect(weekly.code).toBe(3);
    const lines = weekly.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^paperboy: 2024-W52 has no readable day: /);
    for (const day of Object.keys(broken)) expect(lines[0]).toContain(`${day}: The feed from ${join(feeds, `${day}.json`)}`);
    expect(weekly.stdout).not.toContain('No papers');

    const daily = await paperboy('w52-data', ['send', '--date', '2024-12-23', '--source', `file:${feeds}`]);
    expect(daily.code).toBe(3);
    expect(daily.stderr).toContain(join(feeds, '2024-12-23.json'));

    const editions = await paperboy('w52-data', ['editions', 'list', '--json']);
    expect(JSON.parse(editions.stdout)).toEqual([]);
  });

  it('preview --weekly fails the same way, with the same line', async () => {
    const preview = await paperboy('w52-data', [
      'preview',
      '--weekly',
      '--date',
      '2024-12-25',
      '--source',
      `file:${feeds}`,
      '--out',
      join(dir.path, 'w52-preview'),
    ]);
    expect(preview.code).toBe(3);
    expect(preview.stderr.trim().split('\n')).toHaveLength(1);
    expect(preview.stderr).toMatch(/2024-W52 has no readable day: 2024-12-23: .* 2024-12-26: The feed from .*2024-12-26\.json is an object/);
  });
});

describe('a week with one broken day', () => {
  const feeds = feedFolder('w34', { '2026-08-17': fixture('2026-08-17'), '2026-08-18': brokenFiles.wrapper, '2026-08-19': fixture('2026-08-19') });
  const leftOut = [{ day: '2026-08-18', reason: expect.stringMatching(/^The feed from .*2026-08-18\.json is an object with keys status, date, count/) }];

  it('send --weekly --json lists the day it left out, with its reason; a resumed run made no such choice and lists none', async () => {
    const sent = await paperboy('w34-data', ['send', '--weekly', '--date', '2026-W34', '--source', `file:${feeds}`, '--json']);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ day: '2026-W34', resumed: false, leftOutDays: leftOut });
    expect(sent.stderr).toContain('2026-08-18 left out of the week');
    const again = await paperboy('w34-data', ['send', '--weekly', '--date', '2026-W34', '--source', `file:${feeds}`, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ resumed: true });
    expect(JSON.parse(again.stdout)).not.toHaveProperty('leftOutDays');
  });

  it('send --weekly --dry-run --json and preview --weekly --json list it too; a daily send lists none', async () => {
    const dry = await paperboy('w34-dry', ['send', '--weekly', '--date', '2026-W34', '--source', `file:${feeds}`, '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout)).toMatchObject({ kind: 'dry-run', leftOutDays: leftOut });
    const preview = await paperboy('w34-dry', [
      'preview',
      '--weekly',
      '--date',
      '2026-W34',
      '--source',
      `file:${feeds}`,
      '--out',
      join(dir.path, 'w34-preview'),
      '--json',
    ]);
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({ date: '2026-W34', leftOutDays: leftOut });
    const daily = await paperboy('w34-daily', ['send', '--date', '2026-08-17', '--source', `file:${feeds}`, '--json']);
    expect(daily.code).toBe(0);
    expect(JSON.parse(daily.stdout)).toMatchObject({ day: '2026-08-17', leftOutDays: [] });
  });
});

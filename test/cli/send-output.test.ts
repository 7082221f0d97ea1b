import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir('paperboy-send-output-');
afterAll(dir.remove);

describe('paperboy send on the command line', () => {
  it('keeps stdout pure JSON lines with json:, saying everything else on stderr', async () => {
    const data = join(dir.path, 'json');
    for (const email of ['a@example.org', 'b@example.org']) await runCli(['--data-dir', data, 'subscribers', 'add', email, '--confirmed']);
    const result = await runCli(['--data-dir', data, 'send', '--transport', 'json:', '--json', '--date', '2026-08-21']);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.envelope.to).sort()).toEqual(['a@example.org', 'b@example.org']);
    expect(JSON.parse(result.stderr)).toMatchObject({ sent: 2, complete: true });
  });

  it('--dry-run on a partly sent edition counts only what the real run then sends', async () => {
    const data = join(dir.path, 'partly');
    const add = (email: string) => runCli(['--data-dir', data, 'subscribers', 'add', email, '--confirmed']);
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org', 'e@example.org']) await add(email);
    expect((await runCli(['--data-dir', data, 'send', '--date', '2026-08-21'])).stdout).toContain('5 sent this run');
    for (const email of ['f@example.org', 'g@example.org', 'h@example.org']) await add(email);
    const rehearsed = await runCli(['--data-dir', data, 'send', '--date', '2026-08-21', '--dry-run', '--json']);
    expect(JSON.parse(rehearsed.stdout)).toMatchObject({ kind: 'dry-run', messages: 3 });
    const sent = await runCli(['--data-dir', data, 'send', '--date', '2026-08-21', '--json']);
    expect(JSON.parse(sent.stdout)).toMatchObject({ sent: 3 });
  });

  it('--dry-run on a fresh data dir records nothing: no demo seeding, no secret, no edition', async () => {
    const data = join(dir.path, 'dry');
    mkdirSync(data);
    copyFileSync(join(projectRoot, 'subscribers', 'example.csv'), join(data, 'example.csv'));
    const result = await runCli(['--data-dir', data, 'send', '--dry-run', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'dry-run', messages: 0 });
    expect(existsSync(join(data, '.secret'))).toBe(false);
    const editions = await runCli(['--data-dir', data, 'editions', 'list', '--json']);
    expect(JSON.parse(editions.stdout)).toEqual([]);
  });

  it('keeps a list that has editions, and refuses list names that cannot travel in headers or CSV', async () => {
    const data = join(dir.path, 'lists');
    expect((await runCli(['--data-dir', data, 'lists', 'create', 'team'])).code).toBe(0);
    await runCli(['--data-dir', data, 'subscribers', 'add', 't@example.org', '--list', 'team', '--confirmed']);
    expect((await runCli(['--data-dir', data, 'send', '--list', 'team', '--date', '2026-08-21'])).code).toBe(0);
    const remove = await runCli(['--data-dir', data, 'lists', 'remove', 'team']);
    expect(remove.code).toBe(2);
    expect(remove.stderr.trim()).toBe('paperboy: The list "team" has 1 edition and their delivery records; it is kept so nothing is sent twice.');
    const bad = await runCli(['--data-dir', data, 'lists', 'create', 'A;b']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot name a list');
  });

  it('says in one line when the export file cannot be written', async () => {
    const result = await runCli(['--data-dir', join(dir.path, 'export'), 'subscribers', 'export', '--out', '/nonexistent/folder/x.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('Cannot write /nonexistent/folder/x.csv');
  });
});

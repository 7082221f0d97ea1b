import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSubscriberStore } from '../../src/stores/sqlite/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

const dir = tempDir();
afterAll(dir.remove);
const dataDir = join(dir.path, 'data');
const cli = (...args: string[]) => runCli(['--data-dir', dataDir, ...args], { cwd: dir.path });

describe('paperboy subscribers and lists', () => {
  it('adds, shows, lists and unsubscribes, keeping the record', async () => {
    expect((await cli('subscribers', 'add', 'ada@Example.org', '--name', 'Ada', '--topics', 'nlp,vision', '--confirmed')).stdout).toMatch(
      /^Added: ada@example.org {2}active {2}"Ada"/,
    );
    const shown = JSON.parse((await cli('subscribers', 'show', 'ada@example.org', '--json')).stdout);
    expect(shown).toMatchObject({ email: 'ada@example.org', status: 'active', source: 'cli', lists: ['default'], preferences: { topics: ['nlp', 'vision'] } });
    const unsubscribed = await cli('subscribers', 'unsubscribe', 'ada@example.org');
    expect(unsubscribed.code).toBe(0);
    const listed = JSON.parse((await cli('subscribers', 'list', '--status', 'unsubscribed', '--json')).stdout);
    expect(listed.map((s: { email: string }) => s.email)).toEqual(['ada@example.org']);
    const again = await cli('subscribers', 'add', 'ada@example.org', '--confirmed');
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe('paperboy: ada@example.org is unsubscribed; add --resubscribe only if they asked to come back.');

    // Refused means untouched: not the name, the topics, the rhythm or the alerts either.
    const refused = await cli(
      'subscribers',
      'add',
      'ada@example.org',
      '--topics',
      'robotics',
      '--frequency',
      'weekly',
      '--alert',
      'x',
      '--name',
      'Z',
      '--confirmed',
    );
    expect(refused.code).toBe(2);
    const after = JSON.parse((await cli('subscribers', 'show', 'ada@example.org', '--json')).stdout);
    expect(after).toMatchObject({ name: 'Ada', status: 'unsubscribed', preferences: { topics: ['nlp', 'vision'] } });
    expect(after.preferences.frequency).toBeUndefined();
    expect(after.preferences.alerts).toBeUndefined();
  });

  it('removes a person completely', async () => {
    await cli('subscribers', 'add', 'gone@example.org');
    expect((await cli('subscribers', 'remove', 'gone@example.org')).code).toBe(0);
    const show = await cli('subscribers', 'show', 'gone@example.org');
    expect(show.code).toBe(2);
    expect(show.stderr).toContain('No subscriber gone@example.org');
  });

  it('manages lists and refuses to remove the default one', async () => {
    expect((await cli('lists', 'create', 'research', '--description', 'Research team')).code).toBe(0);
    await cli('subscribers', 'add', 'r@example.org', '--list', 'research', '--confirmed');
    const lists = JSON.parse((await cli('lists', 'list', '--json')).stdout);
    expect(lists.find((list: { name: string }) => list.name === 'research')).toMatchObject({ activeCount: 1, memberCount: 1 });
    const refused = await cli('lists', 'remove', 'default');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe('paperboy: The default list cannot be removed.');
    const unknown = await cli('subscribers', 'add', 'x@example.org', '--list', 'nope');
    expect(unknown.stderr.trim()).toBe('paperboy: There is no list named "nope"; create it with: paperboy lists create nope');
  });

  it('gives one line and exit 2 for a bad address or status, with no stack', async () => {
    const bad = await cli('subscribers', 'add', 'evil@example.org\r\nBcc: all@example.org');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('contains a line break');
    const status = await cli('subscribers', 'list', '--status', 'happy');
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('Unknown status "happy"');
  });

  it('imports a CSV piped on standard input as -, read once', async () => {
    const piped = await runCli(['--data-dir', dataDir, 'subscribers', 'import', '-'], {
      cwd: dir.path,
      input: 'email\npiped1@example.org\npiped2@example.org\n',
    });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toContain('2 rows: 2 added');
  });

  it('imports a CSV with bad rows, writes rejects, and exports what is stored', async () => {
    const csv = join(dir.path, 'people.csv');
    const rejects = join(dir.path, 'rejects.csv');
    writeFileSync(csv, '\uFEFFemail,name,topics\r\nzoe@example.org,Zoë,nlp\r\nnot-an-address,X,\r\n"li@example.org",李雷,vision;nlp\r\n');
    const result = await cli('subscribers', 'import', csv, '--rejects', rejects, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 3, added: 2, invalid: 1, rejected: [{ line: 3, reason: 'missing @' }] });
    expect(readFileSync(rejects, 'utf8')).toBe('line,email,name,reason\n3,not-an-address,X,missing @\n');
    const exported = (await cli('subscribers', 'export', '--status', 'active')).stdout.split('\n');
    expect(exported[0]).toBe('email,name,status,topics,lists,source,created_at,confirmed_at,unsubscribed_at,frequency,alerts');
    expect(exported.some((line) => line.startsWith('li@example.org,李雷,active,nlp;vision,default,import,'))).toBe(true);
  });
});

describe('two processes at once', () => {
  it('lose nothing: two concurrent imports of overlapping CSVs give exactly the union', async () => {
    const data = join(dir.path, 'concurrent');
    const rows = (from: number, to: number) =>
      ['email,name', ...Array.from({ length: to - from }, (_, i) => `p${from + i}@example.org,P ${from + i}`)].join('\n');
    writeFileSync(join(dir.path, 'a.csv'), rows(0, 3000));
    writeFileSync(join(dir.path, 'b.csv'), rows(2500, 5500));
    const [a, b] = await Promise.all([
      runCli(['--data-dir', data, 'subscribers', 'import', join(dir.path, 'a.csv'), '--json']),
      runCli(['--data-dir', data, 'subscribers', 'import', join(dir.path, 'b.csv'), '--json']),
      runCli(['--data-dir', data, 'subscribers', 'add', 'solo@example.org']),
    ]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const added = JSON.parse(a.stdout).added + JSON.parse(b.stdout).added;
    expect(added).toBe(5500);
    const store = openSubscriberStore(data);
    try {
      expect(await store.count({})).toBe(5501);
    } finally {
      store.close();
    }
  });
});

describe('subscribers add --send-confirmation', () => {
  it('mails the confirmation link through the transport, and the link makes them active', async () => {
    const { simpleParser } = await import('mailparser');
    const { firstOutboxMail } = await import('../helpers/send.js');
    const { openWeb } = await import('../helpers/web.js');
    const work = tempDir('paperboy-send-confirmation-');
    try {
      const secret = { PAPERBOY_SECRET: 'web-routes-test-secret-0123456789' }; // the web test helper's secret
      const added = await runCli(['--data-dir', join(work.path, 'data'), 'subscribers', 'add', 'x@example.org', '--send-confirmation'], { env: secret });
      expect(added.code).toBe(0);
      expect(added.stdout).toContain('Mailed x@example.org a confirmation link');
      const outbox = join(work.path, 'data', 'outbox');
      const mail = await simpleParser(await firstOutboxMail(outbox));
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('x@example.org');
      const token = /\/confirm\?token=([A-Za-z0-9._-]+)/.exec(mail.text ?? '')![1]!;
      const web = await openWeb(work.path); // the same data directory the CLI wrote to
      try {
        expect((await web.find('x@example.org'))!.status).toBe('pending');
        const { postForm } = await import('../helpers/web.js');
        expect((await postForm(web.app, '/confirm', { token })).statusCode).toBe(200);
        expect((await web.find('x@example.org'))!.status).toBe('active');
      } finally {
        await web.close();
      }
    } finally {
      work.remove();
    }
  });
});

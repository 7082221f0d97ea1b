import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, projectRoot, runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { track } from '../helpers/processes.js';
import { firstOutboxMail, waitFor } from '../helpers/send.js';

const dir = tempDir('paperboy-cli-hardening-');
afterAll(dir.remove);
const secretEnv = { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };

/** The CLI under umask 022, the usual default that made files world-readable. */
function underUmask022(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const shell = spawn('sh', ['-c', `umask 022; exec "$0" "$@"`, process.execPath, join(projectRoot, 'bin', 'paperboy.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (chunk) => (stdout += chunk));
    shell.stderr.on('data', (chunk) => (stderr += chunk));
    shell.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('files others could read', () => {
  it('the data directory is 0700; the database, outbox messages and exports are 0600', async () => {
    const work = join(dir.path, 'modes');
    mkdirSync(work);
    expect((await underUmask022(['--data-dir', 'data', 'subscribers', 'add', 'ada@example.org', '--confirmed'], work)).code).toBe(0);
    expect((await underUmask022(['--data-dir', 'data', 'send', '--date', '2026-08-21'], work, secretEnv)).code).toBe(0);
    expect((await underUmask022(['--data-dir', 'data', 'subscribers', 'export', '--out', 'people.csv'], work)).code).toBe(0);
    const data = join(work, 'data');
    expect(modeOf(data)).toBe(0o700);
    for (const name of readdirSync(data).filter((file) => file.startsWith('paperboy.db'))) expect(modeOf(join(data, name)), name).toBe(0o600);
    const folder = join(data, 'outbox', '2026-08-21-default');
    expect(modeOf(folder)).toBe(0o700);
    for (const name of readdirSync(folder)) expect(modeOf(join(folder, name)), name).toBe(0o600);
    expect(modeOf(join(work, 'people.csv'))).toBe(0o600);
  });

  it('tightens a data directory and database that an older paperboy left readable', async () => {
    const work = join(dir.path, 'loose');
    mkdirSync(join(work, 'data'), { recursive: true, mode: 0o755 });
    writeFileSync(join(work, 'data', 'paperboy.db'), '', { mode: 0o644 });
    expect((await underUmask022(['--data-dir', 'data', 'lists', 'list'], work)).code).toBe(0);
    expect(modeOf(join(work, 'data'))).toBe(0o700);
    expect(modeOf(join(work, 'data', 'paperboy.db'))).toBe(0o600);
  });
});

describe('what the web form can plant in a spreadsheet', () => {
  it('export writes formula-looking cells as text, and importing that export gives the original values back', async () => {
    const work = join(dir.path, 'formulas');
    mkdirSync(work);
    const names = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", '@SUM(1+1)', '-2+3', 'Ada Lovelace'];
    writeFileSync(
      join(work, 'in.csv'),
      ['email,name,topics', ...names.map((name, i) => `"=p${i}@example.org","${name.replace(/"/g, '""')}",@evil;fine`)].join('\n'),
    );
    expect((await runCli(['--data-dir', 'a', 'subscribers', 'import', 'in.csv'], { cwd: work })).code).toBe(0);
    // A name that itself starts with the quote survives the round trip too.
    expect((await runCli(['--data-dir', 'a', 'subscribers', 'add', 'q@example.org', '--name', "'=already quoted", '--confirmed'], { cwd: work })).code).toBe(0);
    names.push("'=already quoted");
    expect((await runCli(['--data-dir', 'a', 'subscribers', 'export', '--out', 'out.csv'], { cwd: work })).code).toBe(0);
    const exported = readFileSync(join(work, 'out.csv'), 'utf8');
    // Every cell a spreadsheet would evaluate starts with a quote instead.
    expect(exported).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(exported).toMatch(/^'=p0@example\.org,/m);
    expect(exported).toContain("'@SUM(1+1)");
    expect(exported).toContain("'+cmd|");
    expect(exported).toContain("'-2+3");
    expect(exported).toContain("''=already quoted");
    expect(exported).toContain("'@evil;fine");
    for (const line of exported.split('\n').slice(1).filter(Boolean)) expect(line).not.toMatch(/(^|,)"?[=+\-@]/);

    expect((await runCli(['--data-dir', 'b', 'subscribers', 'import', 'out.csv'], { cwd: work })).code).toBe(0);
    const before = JSON.parse((await runCli(['--data-dir', 'a', 'subscribers', 'list', '--json'], { cwd: work })).stdout);
    const after = JSON.parse((await runCli(['--data-dir', 'b', 'subscribers', 'list', '--json'], { cwd: work })).stdout);
    const essentials = (list: { email: string; name: string; status: string; preferences: unknown; lists: string[] }[]) =>
      list.map(({ email, name, status, preferences, lists }) => ({ email, name, status, preferences, lists }));
    expect(essentials(after)).toEqual(essentials(before));
    expect(after.map((s: { name: string }) => s.name)).toEqual(names);
  });
});

describe('credentials in the transport URL', () => {
  it('a broken %-escape in the SMTP password is a one-line config error that does not print the password', async () => {
    const work = join(dir.path, 'percent');
    mkdirSync(work);
    await runCli(['--data-dir', 'data', 'subscribers', 'add', 'ada@example.org', '--confirmed'], { cwd: work });
    const result = await runCli(
      ['--data-dir', 'data', 'send', '--date', '2026-08-21', '--transport', 'smtp://user:S3cr%zzet@127.0.0.1:2525', '--base-url', 'https://news.example.org'],
      { cwd: work, env: { ...secretEnv, PAPERBOY_FROM: 'News <news@example.org>' } },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('broken %-escape');
    expect(result.stderr).not.toContain('S3cr');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('paperboy serve and its links', () => {
  it('refuses the placeholder base URL and From when confirmations would go out through SMTP', async () => {
    const result = await runCli(['--data-dir', join(dir.path, 'serve-smtp'), 'serve', '--port', '0'], { env: { PAPERBOY_TRANSPORT: 'smtp://127.0.0.1:2525' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('newsletter.baseUrl is still http://localhost:8080');
  });

  it('with the default base URL, confirmation links follow the port being served', async () => {
    const work = join(dir.path, 'serve-port');
    mkdirSync(work);
    const port = await freePort();
    const child = track(
      spawn(process.execPath, [join(projectRoot, 'bin', 'paperboy.js'), '--data-dir', 'data', 'serve', '--port', String(port)], {
        cwd: work,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    try {
      await waitFor(() => stdout.includes('serving on'), 60_000);
      expect(stdout).toContain(`public URL: http://localhost:${port}`);
      const answer = await fetch(`http://127.0.0.1:${port}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=pat%40example.org',
      });
      expect(answer.status).toBe(200);
      const outbox = join(work, 'data', 'outbox');
      expect(await firstOutboxMail(outbox)).toContain(`http://localhost:${port}/confirm?token=`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  });
});

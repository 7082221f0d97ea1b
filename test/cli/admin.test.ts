/**
 * `paperboy admin` through the built CLI: a password hashed by `hash-password` signs in to a real
 * `paperboy serve` configured with it; a link printed by `admin link` signs in once; a malformed
 * hash is one clean line.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/admin/index.js';
import { projectRoot, runCli, tempDir } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { track } from '../helpers/processes.js';
import { waitFor } from '../helpers/send.js';

const dir = tempDir('paperboy-admin-cli-');
afterAll(dir.remove);
const password = 'a long passphrase for the admin';

/** A folder with a config file holding `settings` (and the store in data/). */
function configured(name: string, settings: Record<string, unknown>): string {
  const folder = join(dir.path, name);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'paperboy.config.json');
  writeFileSync(file, JSON.stringify({ dataDir: 'data', ...settings }, null, 2));
  return file;
}

/** `paperboy serve` on `port` with the config file; stopped after `work`. */
async function serving(config: string, port: number, work: (base: string) => Promise<void>): Promise<void> {
  const child = track(
    spawn(process.execPath, [join(projectRoot, 'bin', 'paperboy.js'), '--config', config, 'serve', '--port', String(port)], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    await waitFor(() => output.includes('serving on') || child.exitCode !== null, 60_000);
    expect(output).toContain('serving on');
    await work(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.on('exit', resolve) : resolve(null)));
  }
}

/** The value of cookie `name` among a response's Set-Cookie lines. */
const cookieOf = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${name}=`))
    ?.split(';')[0];

describe('paperboy admin', () => {
  it('hash-password prints a hash that, in the config, lets the password sign in to serve; admin link signs in once', async () => {
    const hashed = await runCli(['admin', 'hash-password', '--stdin'], { input: `${password}\n` });
    expect(hashed.code, hashed.stderr).toBe(0);
    const hash = hashed.stdout.trim();
    expect(hashed.stdout).toBe(`${hash}\n`); // the hash alone, for $(…) and config files
    expect(hash).toMatch(/^scrypt\$ln=17,r=8,p=1\$/);
    expect(hashed.stdout + hashed.stderr).not.toContain(password);

    const port = await freePort();
    const config = configured('round-trip', { newsletter: { baseUrl: `http://127.0.0.1:${port}` }, admin: { passwordHash: hash } });
    await serving(config, port, async (base) => {
      const form = await fetch(`${base}/admin/login`);
      const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
      const signIn = (secret: string) =>
        fetch(`${base}/admin/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieOf(form, '__Host-paperboy_admin_login') ?? '' },
          body: new URLSearchParams({ _csrf: token, account: 'admin', password: secret }).toString(),
        });
      expect((await signIn('not the password')).status).toBe(401);
      const signedIn = await signIn(password);
      expect(signedIn.status).toBe(303);
      const session = cookieOf(signedIn, '__Host-paperboy_admin');
      const home = await fetch(`${base}/admin`, { headers: { cookie: session ?? '' }, redirect: 'manual' });
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('<span class="muted">admin</span> <button type="submit">Sign out</button>');

      const linked = await runCli(['--config', config, 'admin', 'link', '--minutes', '5']);
      expect(linked.code, linked.stderr).toBe(0);
      const link = linked.stdout.trim();
      expect(link).toMatch(new RegExp(`^${base}/admin/link/[A-Za-z0-9_-]{43}$`));
      const first = await fetch(link, { redirect: 'manual' });
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe('/admin');
      expect(cookieOf(first, '__Host-paperboy_admin')).toBeTruthy();
      expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    });
  });

  it('a malformed hash in the config file is one line naming the key and the file, exit 2, for every command', async () => {
    const config = configured('malformed', { admin: { passwordHash: password } });
    for (const args of [
      ['admin', 'link'],
      ['serve', '--port', '0'],
    ]) {
      const result = await runCli(['--config', config, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `paperboy: Config key "admin.passwordHash" (from ${config}) must be a line printed by paperboy admin hash-password (scrypt$ln=17,r=8,p=1$…$…).\n`,
      );
    }
  });

  it('admin link with admin off says how to turn it on', async () => {
    const result = await runCli(['--config', configured('off', {}), 'admin', 'link']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'paperboy: The admin dashboard is off: add an "admin" section to the config (docs/admin.md), then paperboy serve offers /admin.\n',
    );
  });

  it('hash-password reads a pipe only when told to, and refuses a short password', async () => {
    const piped = await runCli(['admin', 'hash-password'], { input: `${password}\n` });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe(
      'paperboy: Standard input is not a terminal: to pipe the password in, add --stdin (paperboy admin hash-password --stdin < file).\n',
    );
    const short = await runCli(['admin', 'hash-password', '--stdin'], { input: 'short\n' });
    expect(short.code).toBe(2);
    expect(short.stderr).toBe('paperboy: The password must be at least 12 characters long.\n');
    expect(short.stdout).toBe('');
  });

  it.skipIf(!existsSync('/usr/bin/script'))('hash-password at a terminal asks twice and shows nothing of what is typed', async () => {
    // script(1) gives the command a pseudo-terminal: what it echoes is in script's output.
    const child = track(
      spawn('/usr/bin/script', ['-qec', `${process.execPath} ${join(projectRoot, 'bin', 'paperboy.js')} admin hash-password`, '/dev/null'], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'dumb' },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => output.includes('Password: '));
    child.stdin.write(`${password}\r`);
    await waitFor(() => output.includes('Again: '));
    child.stdin.write(`${password}\r`);
    await waitFor(() => /scrypt\$\S+/.test(output));
    child.stdin.end();
    await exited;
    expect(output).not.toContain(password);
    const hash = /scrypt\$\S+/.exec(output)![0];
    expect(await verifyPassword(password, hash)).toBe(true);
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { arf, dsn } from '../bounces/mails.js';
import { type CliResult, fixturesDir, projectRoot, runCli } from './cli.js';
import { freePort } from './ports.js';
import { prepareSend } from './send.js';

/** The recorded feed days the three editions carry. */
export const adminWorldDays = ['2026-08-19', '2026-08-20', '2026-08-21'] as const;
export const adminPassword = 'the operator of a small newsletter';

const domains = ['example.org', 'example.net', 'mail.example.com'];
/** Twelve readers on three domains. */
export const adminWorldReaders = Array.from({ length: 12 }, (_, index) => `reader${index + 1}@${domains[index % 3]}`);
/** Bounces (proven: it quotes the Message-ID we sent it) from the last edition. */
export const bouncedReader = 'reader5@example.net';
/** Complains by address alone: the report waits for review. */
export const complainingReader = 'reader2@example.net';
/** Unsubscribes from the command line. */
export const leavingReader = 'reader3@mail.example.com';

export interface AdminWorld {
  root: string;
  /** Where `paperboy serve` listens: http://127.0.0.1:PORT. */
  address: string;
  cli(args: string[], input?: string): Promise<CliResult>;
  /** What serve wrote so far (its log lines, warnings and up). */
  serveOutput(): string;
  /** `paperboy editions show DAY --json`, parsed. */
  editionShow(day: string): Promise<EditionShown>;
  close(): Promise<void>;
}

export interface EditionShown {
  id: number;
  day: string;
  counts: { sent: number; failed: number; skipped: number; retry: number; pending: number; sending: number };
  feedback: { sent: number; bounces: number; complaints: number };
}

/** What every paperboy command of the world runs with. */
export const adminWorldEnv = { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' };
const env = adminWorldEnv;

/** The Message-ID of the copy the outbox holds for `email` of the `day` edition. */
export function sentMessageId(root: string, day: string, email: string): string {
  const folder = join(root, 'data', 'outbox', `${day}-default`);
  for (const name of readdirSync(folder)) {
    const raw = readFileSync(join(folder, name), 'utf8');
    if (new RegExp(`^To: .*${email.replace(/[.]/g, '\\.')}`, 'mi').test(raw)) return /^Message-ID: *(<[^>]+>)/im.exec(raw)![1]!;
  }
  throw new Error(`no message to ${email} in ${folder}`);
}

export interface Serving {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  address: string;
  /** What it wrote so far (its log lines, warnings and up). */
  output(): string;
  stop(): Promise<void>;
}

/** `paperboy serve` in `root` (its config file there) on a free port, once it says where. */
export async function startServe(root: string): Promise<Serving> {
  const port = await freePort();
  // Not track()ed: that stops a process after each test, and this one serves every test of a file; close() stops it.
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'paperboy.js'), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 60_000);
    const check = () => {
      if (!output.includes('serving on')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout!.on('data', check);
    child.once('exit', () => reject(new Error(`serve exited: ${output}`)));
  });
  await started.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, address: `http://127.0.0.1:${port}`, output: () => output, stop };
}

/**
 * A newsletter with a past, for the admin pages in a browser (the Chromium test, the docs'
 * screenshots): twelve readers, three editions of recorded feed days really sent into the outbox,
 * a proven hard bounce, a complaint naming its reader by address alone (waiting for review), an
 * unsubscribe; then `paperboy serve` with /admin on, behind a password hashed by `paperboy admin hash-password`.
 */
export async function openAdminWorld(root: string): Promise<AdminWorld> {
  const cli = (args: string[], input?: string) => runCli(args, { cwd: root, env, ...(input === undefined ? {} : { input }) });
  const must = async (args: string[], input?: string) => {
    const result = await cli(args, input);
    if (result.code !== 0) throw new Error(`paperboy ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  await prepareSend(root, adminWorldReaders, { source: `file:${fixturesDir}`, admin: { passwordHash: await adminPasswordHash() } });
  for (const day of adminWorldDays) await must(['send', '--date', day]);
  const last = adminWorldDays.at(-1)!;
  const bounce = dsn({
    headers: { 'Message-ID': '<dsn.admin-world@mx.example.net>' },
    deliveryStatus: `Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ${bouncedReader}\nAction: failed\nStatus: 5.1.1`,
    returned: { type: 'text/rfc822-headers', content: `Message-ID: ${sentMessageId(root, last, bouncedReader)}\nTo: ${bouncedReader}` },
  });
  await must(['bounces', 'ingest', '-'], bounce);
  const complaint = arf(`Feedback-Type: abuse\nVersion: 1\nOriginal-Rcpt-To: ${complainingReader}`, 'From: x@example.net\nSubject: hi', {
    'Message-ID': '<arf.admin-world@fbl.example.net>',
  });
  await cli(['bounces', 'ingest', '-'], complaint); // exits 0 and warns that it changed nobody
  await must(['subscribers', 'unsubscribe', leavingReader]);
  const serve = await startServe(root);
  return {
    root,
    address: serve.address,
    cli,
    serveOutput: serve.output,
    editionShow: async (day) => JSON.parse((await must(['editions', 'show', day, '--json'])).stdout) as EditionShown,
    close: serve.stop,
  };
}

/** Signs in to the serve at `address` through the form, as a person would, and returns the page on /admin. */
export async function signInInBrowser(context: BrowserContext, address: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${address}/admin`);
  await page.waitForURL(/\/admin\/login\?next=/);
  await page.getByLabel('Account').fill('admin');
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${address}/admin`);
  return page;
}

/** `paperboy admin hash-password` of the world's password. */
export const adminPasswordHash = async (): Promise<string> =>
  (await runCli(['admin', 'hash-password', '--stdin'], { input: `${adminPassword}\n` })).stdout.trim();

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/stores/sqlite/index.js';
import { type CliResult, projectRoot, runCli } from './cli.js';
import { track } from './processes.js';

/** A data dir with `count` active subscribers named <prefix><n>@example.org, and a config file beside it. */
export async function prepareSend(dir: string, emails: string[], config: Record<string, unknown>): Promise<void> {
  writeFileSync(join(dir, 'people.csv'), ['email,name', ...emails.map((email, i) => `${email},Reader ${i}`)].join('\n'));
  const newsletter = { baseUrl: 'https://news.example.org', from: 'Paperboy <news@example.org>' };
  writeFileSync(join(dir, 'paperboy.config.json'), JSON.stringify({ dataDir: 'data', newsletter, ...config }));
  const result = await runCli(['subscribers', 'import', 'people.csv', '--json'], { cwd: dir });
  if (result.code !== 0) throw new Error(`import failed: ${result.stderr}`);
}

export function sendCli(dir: string, args: string[] = []): Promise<CliResult> {
  return runCli(['send', '--date', '2026-08-21', '--json', ...args], { cwd: dir, env: { PAPERBOY_SECRET: 'a-test-secret-of-enough-length' } });
}

/** `paperboy send` as a child process the test can signal. */
export function spawnSend(dir: string, args: string[] = []): { child: ChildProcess; done: Promise<CliResult> } {
  const child = track(
    spawn(process.execPath, [join(projectRoot, 'bin', 'paperboy.js'), 'send', '--date', '2026-08-21', '--json', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PAPERBOY_SECRET: 'a-test-secret-of-enough-length' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 1), stdout, stderr }));
  });
  return { child, done };
}

/** Ledger rows of the data dir's only edition, by status. */
export function ledgerStatuses(dataDir: string): Record<string, number> {
  const db = openDatabase(dataDir);
  try {
    const rows = db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    db.close();
  }
}

export function subscriberStatus(dataDir: string, email: string): string | undefined {
  const db = openDatabase(dataDir);
  try {
    return (db.prepare('SELECT status FROM subscribers WHERE email = ?').get(email) as { status: string } | undefined)?.status;
  } finally {
    db.close();
  }
}

export const waitFor = async (condition: () => boolean, timeoutMs = 60_000): Promise<void> => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** The first .eml anywhere under an outbox folder, once there is one (a confirmation mail sent after the reply, say). */
export async function firstOutboxMail(outbox: string): Promise<string> {
  const firstEml = () => {
    try {
      return readdirSync(outbox, { recursive: true })
        .map(String)
        .find((name) => name.endsWith('.eml'));
    } catch {
      return undefined; // the outbox folder is made with the first message
    }
  };
  await waitFor(() => firstEml() !== undefined);
  return readFileSync(join(outbox, firstEml()!), 'utf8');
}

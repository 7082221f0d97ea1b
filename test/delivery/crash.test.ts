import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture, runCli, tempDir } from '../helpers/cli.js';
import { ledgerStatuses, prepareSend, sendCli, spawnSend, waitFor } from '../helpers/send.js';
import { type ReceivedMail, startSink } from '../helpers/smtp-sink.js';

const dir = tempDir();
afterAll(dir.remove);
const concurrency = 6;
const emails = Array.from({ length: 200 }, (_, i) => `reader${i}@example.org`);

async function messageIds(mails: ReceivedMail[]): Promise<Map<string, string[]>> {
  const byRecipient = new Map<string, string[]>();
  for (const mail of mails) {
    const id = (await simpleParser(mail.raw)).messageId!;
    byRecipient.set(mail.to[0]!, [...(byRecipient.get(mail.to[0]!) ?? []), id]);
  }
  return byRecipient;
}

describe('a send that dies or is stopped', () => {
  it('after SIGKILL mid-run, a second run completes it: everyone has it, duplicates ≤ in-flight, same Message-ID', async () => {
    const work = join(dir.path, 'kill');
    const sink = await startSink({ delayMs: 15 });
    try {
      await runCli(['--help']); // warm the disk cache so the child starts quickly
      await import('node:fs').then((fs) => fs.mkdirSync(work));
      await prepareSend(work, emails, { source: `file:${fixture('2026-08-21')}`, transport: sink.url, delivery: { concurrency, maxConnections: 3 } });
      const first = spawnSend(work);
      await waitFor(() => sink.received.length >= 40);
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.code).toBe(137);
      const beforeResume = sink.received.length;
      expect(beforeResume).toBeLessThan(emails.length);
      expect(ledgerStatuses(join(work, 'data')).sending ?? 0).toBeLessThanOrEqual(concurrency);

      const second = await sendCli(work);
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ complete: true });
      const ids = await messageIds(sink.received);
      expect([...ids.keys()].sort()).toEqual([...emails].sort());
      const duplicates = [...ids.values()].filter((list) => list.length > 1);
      expect(duplicates.length).toBeLessThanOrEqual(concurrency);
      for (const list of duplicates) expect(new Set(list).size).toBe(1);
      expect(ledgerStatuses(join(work, 'data'))).toEqual({ sent: emails.length });
    } finally {
      await sink.close();
    }
  });

  it('SIGTERM drains the in-flight messages, exits non-zero saying how to resume, and the resume sends each once', async () => {
    const work = join(dir.path, 'term');
    const sink = await startSink({ delayMs: 15 });
    try {
      await import('node:fs').then((fs) => fs.mkdirSync(work));
      await prepareSend(work, emails, { source: `file:${fixture('2026-08-21')}`, transport: sink.url, delivery: { concurrency, maxConnections: 3 } });
      const first = spawnSend(work);
      await waitFor(() => sink.received.length >= 30);
      first.child.kill('SIGTERM');
      const stopped = await first.done;
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toMatch(/run `\S*paperboy(\.js)? send --list default --date 2026-08-21` to resume/);
      expect(stopped.stderr).not.toMatch(/\n\s+at /);
      const statuses = ledgerStatuses(join(work, 'data'));
      expect(statuses.sending).toBeUndefined(); // everything in flight was finished and recorded
      expect(statuses.sent).toBe(sink.received.length);

      const second = await sendCli(work);
      expect(second.code).toBe(0);
      const ids = await messageIds(sink.received);
      expect([...ids.keys()].sort()).toEqual([...emails].sort());
      expect([...ids.values()].every((list) => list.length === 1)).toBe(true);
    } finally {
      await sink.close();
    }
  });

  it('stops mail to someone who unsubscribes while the run is going', async () => {
    const work = join(dir.path, 'unsubscribe');
    const sink = await startSink({ delayMs: 15 });
    try {
      await import('node:fs').then((fs) => fs.mkdirSync(work));
      await prepareSend(work, emails, { source: `file:${fixture('2026-08-21')}`, transport: sink.url, delivery: { concurrency: 2, maxConnections: 2 } });
      const run = spawnSend(work);
      await waitFor(() => sink.received.length >= 10);
      const last = emails.at(-1)!;
      const unsubscribed = await runCli(['subscribers', 'unsubscribe', last], { cwd: work });
      expect(unsubscribed.code).toBe(0);
      const result = await run.done;
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ skipped: 1, complete: true });
      expect(sink.received.some((mail) => mail.to[0] === last)).toBe(false);
      expect(sink.received).toHaveLength(emails.length - 1);
    } finally {
      await sink.close();
    }
  });
});

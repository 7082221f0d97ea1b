/**
 * The Postfix pipe of docs/bounces.md with a real Postfix: reports mailed to the bounce domain are
 * handed to `paperboy bounces ingest -` run as another user with no environment but the
 * --environment-file, so the VERP tokens verify with the same secret the send used. A report the
 * store cannot take (locked) exits 75 and Postfix keeps it, then delivers it once the store is
 * free; a forged report changes nobody.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/stores/sqlite/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { commandForNobody, type Postfix, startPostfix } from '../helpers/postfix.js';
import { available, isRoot } from '../helpers/requirements.js';
import { prepareSend, subscriberStatus, waitFor } from '../helpers/send.js';
import { type Sink, startSink } from '../helpers/smtp-sink.js';
import { dsn } from './mails.js';

const dir = tempDir('paperboy-postfix-pipe-');
const data = join(dir.path, 'data');
const readers = ['ada@example.org', 'bob@example.org', 'cy@example.org'];
const returnPaths = new Map<string, string>();
let postfix: Postfix | undefined;
let sink: Sink | undefined;

/** A report as a receiving server mails it: null sender, to the message's return path. */
async function mailToPostfix(to: string, message: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: postfix!.port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: '', to }, raw: message });
  } finally {
    transport.close();
  }
}

const report = (to: string, reader: string, id: string) =>
  dsn({
    headers: { To: to, 'Message-ID': `<${id}@mx.example.net>` },
    deliveryStatus: `Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ${reader}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown`,
  });

describe.skipIf(!available(isRoot, 'the Postfix pipe test runs Postfix, and its pipe as nobody: it needs root'))('reports through a real Postfix pipe', () => {
  beforeAll(async () => {
    chmodSync(dir.path, 0o755);
    // The settings the services read from their EnvironmentFile; the pipe gets them only through --environment-file.
    const environment = join(dir.path, 'env');
    writeFileSync(environment, 'PAPERBOY_SECRET=a-secret-only-the-env-file-knows-0123\n');
    sink = await startSink();
    await prepareSend(dir.path, readers, {
      source: 'sample',
      transport: sink.url,
      dataDir: data,
      delivery: { returnPath: 'bounces+{token}@bounces.example.org' },
    });
    const sent = await runCli(['--environment-file', environment, '--config', join(dir.path, 'paperboy.config.json'), 'send', '--date', '2026-03-02'], {
      cwd: dir.path,
    });
    expect(sent.code, sent.stderr).toBe(0);
    for (const mail of sink.received) returnPaths.set(mail.to[0]!, mail.from);
    // The pipe runs as nobody: the store must be theirs.
    execFileSync('chown', ['-R', 'nobody', data, environment]);
    const argv = [
      ...commandForNobody(dir.path),
      '--environment-file',
      environment,
      '--config',
      join(dir.path, 'paperboy.config.json'),
      'bounces',
      'ingest',
      '-',
    ];
    postfix = await startPostfix('bounces.example.org', argv);
  });

  afterAll(async () => {
    try {
      await postfix?.stop();
      await sink?.close();
    } finally {
      dir.remove();
    }
  });

  it('bounces the reader whose VERP return path a report comes back to; a forged token changes nobody', async () => {
    await mailToPostfix(returnPaths.get('ada@example.org')!, report(returnPaths.get('ada@example.org')!, 'ada@example.org', 'r1'));
    await waitFor(() => subscriberStatus(data, 'ada@example.org') === 'bounced', 60_000);
    const forged = 'bounces+2-1-0123456789abcdef0123@bounces.example.org';
    await mailToPostfix(forged, report(forged, 'bob@example.org', 'r2'));
    const eventsOf = (email: string) => {
      const db = openDatabase(data);
      try {
        return db.prepare('SELECT action, evidence FROM bounce_events WHERE email = ?').all(email);
      } finally {
        db.close();
      }
    };
    await waitFor(() => eventsOf('bob@example.org').length > 0, 60_000);
    expect(eventsOf('bob@example.org')).toEqual([{ action: 'unverified', evidence: 'forged' }]);
    expect(subscriberStatus(data, 'bob@example.org')).toBe('active');
  });

  it('keeps a report while the store is locked (exit 75: deferred) and delivers it once the store is free', async () => {
    const db = openDatabase(data);
    let locked = true;
    db.exec('BEGIN EXCLUSIVE');
    try {
      await mailToPostfix(returnPaths.get('cy@example.org')!, report(returnPaths.get('cy@example.org')!, 'cy@example.org', 'r3'));
      await waitFor(() => /to=<[^>]*>, relay=paperboy.*status=deferred/.test(postfix!.log()), 60_000);
      expect(subscriberStatus(data, 'cy@example.org')).toBe('active');
      db.exec('COMMIT');
      locked = false;
      postfix!.flush();
      await waitFor(() => subscriberStatus(data, 'cy@example.org') === 'bounced', 60_000);
    } finally {
      if (locked) db.exec('ROLLBACK');
      db.close();
    }
  });
});

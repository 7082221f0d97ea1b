import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { messageOf, PaperboyError } from '../errors.js';
import { sleep } from '../sleep.js';
import { type IngestDeps, ingestVerdict } from './ingest.js';
import { parseBounce } from './parse-bounce.js';
import type { BounceVerdict } from './types.js';

type ImapSettings = NonNullable<Config['bounces']['imap']>;

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The parts of bounces.imap.url, checked; every refusal is one line that never repeats the password. */
export function imapTarget(settings: ImapSettings, env: NodeJS.ProcessEnv = process.env) {
  const refuse = (why: string) =>
    new PaperboyError('CONFIG', `bounces.imap.url ${why}; write it as imaps://USER@imap.example.org, with the password in PAPERBOY_IMAP_PASS.`);
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw refuse('is not a URL');
  }
  if (url.protocol !== 'imaps:' && url.protocol !== 'imap:') throw refuse('must start with imaps:// or imap://');
  if (!url.hostname) throw refuse('names no host');
  let user: string;
  let password: string;
  try {
    user = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    throw refuse('has a broken %-escape in its user or password (a % is written %25)');
  }
  const secure = url.protocol === 'imaps:';
  const loopback = loopbackHosts.has(url.hostname);
  if (!secure && settings.allowCleartext && !loopback)
    throw refuse(
      `is imap:// to ${url.hostname} with allowCleartext: a password in clear goes only to this machine's loopback (use imaps://, or imap:// with STARTTLS)`,
    );
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    // imap:// upgrades with STARTTLS before the password goes out, or refuses the server.
    cleartext: !secure && settings.allowCleartext,
    user,
    password: password || env.PAPERBOY_IMAP_PASS || '',
    shown: `${url.protocol}//${url.host}`,
  };
}

function clientFor(settings: ImapSettings, env: NodeJS.ProcessEnv): ImapFlow {
  const target = imapTarget(settings, env);
  return new ImapFlow({
    host: target.host,
    port: target.port,
    secure: target.secure,
    ...(target.secure ? {} : { doSTARTTLS: !target.cleartext }),
    auth: { user: target.user, pass: target.password },
    tls: { rejectUnauthorized: settings.tlsRejectUnauthorized },
    logger: false,
  });
}

async function download(client: ImapFlow, uid: number): Promise<Buffer> {
  const { content } = await client.download(String(uid), undefined, { uid: true });
  const chunks: Buffer[] = [];
  for await (const chunk of content ?? []) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** What went wrong talking to the mailbox, in words, with what to check. */
function mailboxError(settings: ImapSettings, error: unknown): PaperboyError {
  const { authenticationFailed, code, responseText } = error as { authenticationFailed?: boolean; code?: string; responseText?: string };
  const target = imapTarget(settings);
  const why = authenticationFailed
    ? `the server refused the user "${target.user}" and its password`
    : code === 'ECONNREFUSED'
      ? 'nothing answers there'
      : code === 'ENOTFOUND'
        ? 'no such host'
        : /STARTTLS/i.test(messageOf(error)) || code === 'NoSTARTTLS'
          ? 'the server offers no STARTTLS, and the password never goes out in clear (use imaps://; for a server on loopback only, set bounces.imap.allowCleartext)'
          : responseText || messageOf(error);
  return new PaperboyError(
    'TRANSPORT',
    `Cannot read the bounce mailbox ${target.shown}/${settings.mailbox}: ${why}; check bounces.imap (the password may come from PAPERBOY_IMAP_PASS).`,
  );
}

/**
 * Reads every message in the mailbox, ingests it, and moves it to the processed mailbox (made if
 * missing), so each report is read once. Returns how many it read.
 */
export async function readMailboxOnce(settings: ImapSettings, deps: IngestDeps, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const client = clientFor(settings, env);
  // imapflow reports a dropped connection as an event: without a listener it would end the process.
  client.on('error', (error: unknown) => logger.warn({ err: messageOf(error) }, 'bounce mailbox: connection error'));
  try {
    await client.connect();
  } catch (error) {
    throw mailboxError(settings, error);
  }
  try {
    await client.mailboxCreate(settings.processedMailbox).catch(() => undefined); // already there
    const lock = await client.getMailboxLock(settings.mailbox);
    let read = 0;
    try {
      const uids = (await client.search({ all: true }, { uid: true })) || [];
      for (const uid of uids) {
        let verdict: BounceVerdict | undefined;
        try {
          verdict = await parseBounce(await download(client, uid));
        } catch (error) {
          logger.warn({ uid, err: messageOf(error) }, 'bounce mailbox: message not readable; moved aside all the same');
        }
        // Outside the try: a store that fails leaves the message in the mailbox for the next pass.
        if (verdict) {
          const result = await ingestVerdict(verdict, 'imap', deps);
          logger.info(
            { uid, kind: result.kind, subscriberId: result.subscriberId, duplicate: result.duplicate, actions: result.recipients.map((r) => r.action) },
            'bounce mailbox: message read',
          );
        }
        await client.messageMove(String(uid), settings.processedMailbox, { uid: true });
        read++;
      }
    } finally {
      lock.release();
    }
    return read;
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/**
 * Polls the mailbox every intervalSeconds until `signal` aborts; a failed poll is logged and tried
 * again. With `once`, one pass whose failure is the caller's (a cron job's exit code).
 */
export async function watchMailbox(
  settings: ImapSettings,
  deps: IngestDeps,
  logger: Logger,
  signal: AbortSignal,
  options: { once?: boolean } = {},
): Promise<void> {
  if (options.once) {
    const read = await readMailboxOnce(settings, deps, logger);
    logger.info({ mailbox: settings.mailbox, read }, 'bounce mailbox read');
    return;
  }
  logger.info({ mailbox: settings.mailbox, host: imapTarget(settings).host }, 'watching the bounce mailbox');
  while (!signal.aborted) {
    try {
      await readMailboxOnce(settings, deps, logger);
    } catch (error) {
      logger.error({ err: messageOf(error) }, 'bounce mailbox: could not read it; trying again later');
    }
    await sleep(settings.intervalSeconds * 1000, signal);
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { messageOf, PaperboyError } from '../../../errors.js';
import { packageRoot } from '../../../paths.js';
import type { OutgoingMessage, SendResult, Transport } from '../../transport.js';
import type { SmtpFailure, SmtpPoolSettings } from './open.js';

export interface SmtpOptions {
  maxConnections: number;
  /** Messages per second over the whole pool; 0 for no limit. */
  rateLimit: number;
  tlsRejectUnauthorized: boolean;
  dkim?: { domainName: string; keySelector: string; privateKeyFile: string };
  env: NodeJS.ProcessEnv;
}

/** A user name or password from the URL, %-escapes decoded; a broken escape is a config error that never shows the value. */
function decodeCredential(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new PaperboyError(
      'CONFIG',
      'The SMTP user or password in the transport URL has a broken %-escape; write special characters as %XX (%25 for %, %40 for @), or give the password in PAPERBOY_SMTP_PASS.',
    );
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

// The worker runs compiled JavaScript: from dist/ whether paperboy runs built or under a test runner.
const workerFile = join(packageRoot, 'dist', 'src', 'delivery', 'transports', 'smtp', 'worker.js');

/** A worker-thread pool: send() posts the raw message over and resolves with the server's answer. */
function workerPool(settings: SmtpPoolSettings) {
  // Its own heap is capped too: it only holds the messages in flight (see bin/paperboy.js).
  const worker = new Worker(workerFile, { workerData: settings, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 } });
  const pending = new Map<number, { resolve: (response: string) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  worker.on('message', (reply: { id: number; response?: string; failure?: SmtpFailure }) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.failure) waiter?.reject(Object.assign(new Error(reply.failure.message), reply.failure));
    else waiter?.resolve(reply.response ?? '');
  });
  const failAll = (error: Error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the SMTP worker stopped')));
  return {
    send(envelope: { from: string; to: string }, raw: Buffer): Promise<string> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, envelope, raw });
      });
    },
    giveUpWaiting() {
      worker.postMessage('give-up-waiting');
    },
    async close() {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('close');
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * `smtp://user:pass@host:port` or `smtps://…` through paperboy's pipelining pool, run in a worker thread
 * (in this thread when paperboy is not built). Credentials come from the URL or from
 * PAPERBOY_SMTP_USER / PAPERBOY_SMTP_PASS, and are never printed.
 */
export async function smtpTransport(url: URL, options: SmtpOptions): Promise<Transport> {
  const user = decodeCredential(url.username) || options.env.PAPERBOY_SMTP_USER;
  const pass = decodeCredential(url.password) || options.env.PAPERBOY_SMTP_PASS;
  const settings: SmtpPoolSettings = {
    url: url.href,
    ...(user ? { user } : {}),
    ...(pass ? { pass } : {}),
    maxConnections: options.maxConnections,
    rateLimit: options.rateLimit,
    tlsRejectUnauthorized: options.tlsRejectUnauthorized,
    ...(options.dkim ? { dkim: options.dkim } : {}),
  };
  if (options.dkim) {
    try {
      readFileSync(options.dkim.privateKeyFile, 'utf8'); // fail here, in one line, not inside the worker
    } catch (error) {
      throw new PaperboyError('CONFIG', `Cannot read the DKIM key ${options.dkim.privateKeyFile}: ${messageOf(error)}.`);
    }
  }
  // The pool loads only where it runs: in the worker, or here when paperboy is not built.
  const pool = existsSync(workerFile) ? workerPool(settings) : (await import('./open.js')).openSmtpPool(settings);
  return {
    name: redactUrl(url),
    async send(message: OutgoingMessage): Promise<SendResult> {
      return { response: await pool.send(message.envelope, message.raw) };
    },
    giveUpWaiting: () => pool.giveUpWaiting(),

    async close() {
      await pool.close();
    },
  };
}

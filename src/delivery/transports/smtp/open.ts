import { readFileSync } from 'node:fs';
import { buffer } from 'node:stream/consumers';
import DKIM from 'nodemailer/lib/dkim';
import { messageOf, PaperboyError } from '../../../errors.js';
import { SmtpPool } from './pool.js';
import type { SmtpErrorFields } from './smtp-error.js';

/** Everything needed to open the pool; plain data, so it can cross into a worker thread. */
export interface SmtpPoolSettings {
  url: string;
  user?: string;
  pass?: string;
  maxConnections: number;
  rateLimit: number;
  tlsRejectUnauthorized: boolean;
  dkim?: { domainName: string; keySelector: string; privateKeyFile: string };
}

/** A failed send as plain data, to cross back from the worker. */
export type SmtpFailure = Partial<SmtpErrorFields> & { message: string };

function signerFor(settings: SmtpPoolSettings): ((raw: Buffer) => Promise<Buffer>) | undefined {
  if (!settings.dkim) return undefined;
  let privateKey: string;
  try {
    privateKey = readFileSync(settings.dkim.privateKeyFile, 'utf8');
  } catch (error) {
    throw new PaperboyError('CONFIG', `Cannot read the DKIM key ${settings.dkim.privateKeyFile}: ${messageOf(error)}.`);
  }
  const dkim = new DKIM({ domainName: settings.dkim.domainName, keySelector: settings.dkim.keySelector, privateKey });
  return (raw) => buffer(dkim.sign(raw));
}

/** paperboy's SMTP pool (pool.ts) for pre-built raw messages, DKIM-signed when configured. */
export function openSmtpPool(settings: SmtpPoolSettings) {
  const url = new URL(settings.url);
  const secure = url.protocol === 'smtps:';
  const sign = signerFor(settings);
  const pool = new SmtpPool({
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(settings.user ? { user: settings.user, pass: settings.pass ?? '' } : {}),
    tlsRejectUnauthorized: settings.tlsRejectUnauthorized,
    connectTimeoutMs: 30_000,
    replyTimeoutMs: 60_000,
    maxConnections: settings.maxConnections,
    rateLimit: settings.rateLimit,
  });
  return {
    async send(envelope: { from: string; to: string }, raw: Buffer): Promise<string> {
      return pool.send(envelope.from, envelope.to, sign ? await sign(raw) : raw);
    },
    giveUpWaiting: () => pool.giveUpWaiting(),
    close: () => pool.close(),
  };
}

/** The parts of an error that classifyFailure and the relays read, as plain data. */
export function failureOf(error: unknown): SmtpFailure {
  const e = error as Partial<SmtpErrorFields>;
  return {
    message: messageOf(error),
    ...(e.responseCode !== undefined ? { responseCode: e.responseCode } : {}),
    ...(e.response ? { response: e.response } : {}),
    ...(e.command ? { command: e.command } : {}),
    ...(e.code ? { code: e.code } : {}),
    ...(e.nothingSent ? { nothingSent: true } : {}),
    ...(e.connectionsLoweredTo ? { connectionsLoweredTo: e.connectionsLoweredTo } : {}),
  };
}

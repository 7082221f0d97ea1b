import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { PaperboyError, messageOf } from '../../errors.js';
import type { OutgoingMessage, SendResult, Transport } from '../transport.js';

export interface SmtpOptions {
  maxConnections: number;
  /** Messages per second over the whole pool; 0 for no limit. */
  rateLimit: number;
  tlsRejectUnauthorized: boolean;
  dkim?: { domainName: string; keySelector: string; privateKeyFile: string };
  env: NodeJS.ProcessEnv;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

/**
 * `smtp://user:pass@host:port` or `smtps://…` through nodemailer's pool (never unpooled:
 * a connection per message is ~70× slower). Credentials come from the URL or from
 * PAPERBOY_SMTP_USER / PAPERBOY_SMTP_PASS, and are never printed.
 */
export function smtpTransport(url: URL, options: SmtpOptions): Transport {
  const user = decodeURIComponent(url.username) || options.env.PAPERBOY_SMTP_USER;
  const pass = decodeURIComponent(url.password) || options.env.PAPERBOY_SMTP_PASS;
  let dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
  if (options.dkim) {
    try {
      dkim = { domainName: options.dkim.domainName, keySelector: options.dkim.keySelector, privateKey: readFileSync(options.dkim.privateKeyFile, 'utf8') };
    } catch (error) {
      throw new PaperboyError('CONFIG', `Cannot read the DKIM key ${options.dkim.privateKeyFile}: ${messageOf(error)}.`);
    }
  }
  const secure = url.protocol === 'smtps:';
  const pool = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user ? { auth: { user, pass: pass ?? '' } } : {}),
    maxConnections: options.maxConnections,
    maxMessages: Infinity,
    ...(options.rateLimit > 0 ? { rateDelta: 1000, rateLimit: options.rateLimit } : {}),
    tls: { rejectUnauthorized: options.tlsRejectUnauthorized },
    ...(dkim ? { dkim } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    name: redactUrl(url),
    async send(message: OutgoingMessage): Promise<SendResult> {
      const info = await pool.sendMail({ envelope: message.envelope, raw: message.raw });
      return { response: info.response };
    },
    async close() {
      pool.close();
    },
  };
}

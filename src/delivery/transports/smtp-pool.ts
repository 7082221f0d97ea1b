import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { PaperboyError, messageOf } from '../../errors.js';

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

export interface SmtpFailure {
  message: string;
  responseCode?: number;
  response?: string;
  command?: string;
  code?: string;
}

/** nodemailer's pool (never unpooled: a connection per message is ~70× slower) for pre-built raw messages. */
export function openSmtpPool(settings: SmtpPoolSettings) {
  const url = new URL(settings.url);
  let dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
  if (settings.dkim) {
    try {
      dkim = { domainName: settings.dkim.domainName, keySelector: settings.dkim.keySelector, privateKey: readFileSync(settings.dkim.privateKeyFile, 'utf8') };
    } catch (error) {
      throw new PaperboyError('CONFIG', `Cannot read the DKIM key ${settings.dkim.privateKeyFile}: ${messageOf(error)}.`);
    }
  }
  const secure = url.protocol === 'smtps:';
  const pool = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
    maxConnections: settings.maxConnections,
    maxMessages: Infinity,
    ...(settings.rateLimit > 0 ? { rateDelta: 1000, rateLimit: settings.rateLimit } : {}),
    tls: { rejectUnauthorized: settings.tlsRejectUnauthorized },
    ...(dkim ? { dkim } : {}),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    async send(envelope: { from: string; to: string }, raw: Buffer): Promise<string> {
      return (await pool.sendMail({ envelope, raw })).response;
    },
    close: () => pool.close(),
  };
}

/** The parts of a nodemailer error that classifyFailure reads, as plain data. */
export function failureOf(error: unknown): SmtpFailure {
  const e = error as SmtpFailure;
  return {
    message: messageOf(error),
    ...(e.responseCode !== undefined ? { responseCode: e.responseCode } : {}),
    ...(e.response ? { response: e.response } : {}),
    ...(e.command ? { command: e.command } : {}),
    ...(e.code ? { code: e.code } : {}),
  };
}

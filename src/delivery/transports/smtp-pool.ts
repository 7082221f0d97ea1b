import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { messageOf, PaperboyError } from '../../errors.js';

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
  /** After a 421 the pool took one connection fewer: this many from now on. */
  connectionsLoweredTo?: number;
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
  // nodemailer reads this before it opens a connection; lowering it here, in the thread that owns
  // the pool, takes effect before the pool replaces the connection that was just refused.
  const poolOptions = (pool as unknown as { transporter: { options: { maxConnections: number } } }).transporter.options;
  // Aborting fails the sends still queued or still connecting (see Transport.giveUpWaiting). Every
  // send listens on the one signal: as many listeners as messages in flight, none a leak.
  const controller = () => {
    const made = new AbortController();
    setMaxListeners(0, made.signal);
    return made;
  };
  let waiting = controller();
  return {
    async send(envelope: { from: string; to: string }, raw: Buffer): Promise<string> {
      try {
        // RFC 6152: a body with 8-bit octets must be announced with BODY=8BITMIME on MAIL FROM.
        return (
          await pool.sendMail({ envelope: { ...envelope, use8BitMime: hasEightBitOctets(raw) } as typeof envelope, raw, signal: waiting.signal } as Parameters<
            typeof pool.sendMail
          >[0])
        ).response;
      } catch (error) {
        // 421: the server wants fewer connections ("too many connections"): one fewer for the rest of the run.
        if ((error as SmtpFailure).responseCode === 421 && poolOptions.maxConnections > 1) {
          (error as SmtpFailure).connectionsLoweredTo = --poolOptions.maxConnections;
        }
        throw error;
      }
    },
    giveUpWaiting() {
      waiting.abort();
      waiting = controller();
    },
    close: () => pool.close(),
  };
}

/** True when any octet is outside 7-bit ASCII (a digest usually shows one early: ▲, ·, quotes). */
export function hasEightBitOctets(raw: Buffer): boolean {
  for (let index = 0; index < raw.length; index++) if (raw[index]! > 0x7f) return true;
  return false;
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
    ...(e.connectionsLoweredTo ? { connectionsLoweredTo: e.connectionsLoweredTo } : {}),
  };
}

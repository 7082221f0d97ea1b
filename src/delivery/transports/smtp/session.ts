import { connect as connectTcp, isIP } from 'node:net';
import { hostname } from 'node:os';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { Dialogue, type Reply } from './dialogue.js';
import { SmtpError } from './smtp-error.js';

export interface SessionSettings {
  host: string;
  port: number;
  /** smtps: TLS from the first byte; otherwise STARTTLS whenever the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  tlsRejectUnauthorized: boolean;
  /** Connecting, the greeting, EHLO, STARTTLS and AUTH together. */
  connectTimeoutMs: number;
  /** Silence while a reply is awaited. */
  replyTimeoutMs: number;
}

/** An SMTP session ready for mail: greeted, encrypted where possible, signed in. */
export interface Session {
  dialogue: Dialogue;
  /** EHLO keywords, upper-case (PIPELINING, 8BITMIME, SMTPUTF8, AUTH, …). */
  extensions: Set<string>;
}

/** The EHLO name: this machine's name when it is a domain, else its address literal (RFC 5321 §4.1.4). */
function ehloName(localAddress: string | undefined): string {
  const name = hostname();
  if (name.includes('.')) return name;
  if (!localAddress) return '[127.0.0.1]';
  return isIP(localAddress) === 6 ? `[IPv6:${localAddress}]` : `[${localAddress}]`;
}

function keywordsOf(reply: Reply): { extensions: Set<string>; auth: string[] } {
  const extensions = new Set<string>();
  let auth: string[] = [];
  for (const line of reply.text.split('\n').slice(1)) {
    const words = line.slice(4).trim().split(/\s+/);
    const keyword = (words[0] ?? '').toUpperCase();
    extensions.add(keyword);
    if (keyword === 'AUTH') auth = words.slice(1).map((word) => word.toUpperCase());
  }
  return { extensions, auth };
}

function expectCode(reply: Reply, command: string, code: string, ok: (c: number) => boolean): Reply {
  if (!ok(reply.code)) throw SmtpError.refused(reply, command, code);
  return reply;
}

const positive = (code: number) => code >= 200 && code < 300;

async function greet(dialogue: Dialogue): Promise<{ extensions: Set<string>; auth: string[] }> {
  const name = ehloName(dialogue.socket.localAddress);
  const ehlo = await dialogue.command(`EHLO ${name}`, 'EHLO');
  if (positive(ehlo.code)) return keywordsOf(ehlo);
  // A server from before ESMTP: HELO, and none of the extensions.
  expectCode(await dialogue.command(`HELO ${name}`, 'HELO'), 'HELO', 'EPROTOCOL', positive);
  return { extensions: new Set(), auth: [] };
}

async function signIn(dialogue: Dialogue, mechanisms: string[], user: string, pass: string): Promise<void> {
  const failed = (reply: Reply, command: string) =>
    new SmtpError(`authentication failed: ${reply.text}`, { code: 'EAUTH', command, responseCode: reply.code, response: reply.text });
  if (mechanisms.includes('PLAIN') || !mechanisms.includes('LOGIN')) {
    const token = Buffer.from(`\0${user}\0${pass}`, 'utf8').toString('base64');
    const reply = await dialogue.command(`AUTH PLAIN ${token}`, 'AUTH PLAIN');
    if (!positive(reply.code)) throw failed(reply, 'AUTH PLAIN');
    return;
  }
  let reply = await dialogue.command('AUTH LOGIN', 'AUTH LOGIN');
  for (const value of [user, pass]) {
    if (reply.code !== 334) throw failed(reply, 'AUTH LOGIN');
    reply = await dialogue.command(Buffer.from(value, 'utf8').toString('base64'), 'AUTH LOGIN');
  }
  if (!positive(reply.code)) throw failed(reply, 'AUTH LOGIN');
}

function upgrade(dialogue: Dialogue, settings: SessionSettings): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({
      socket: dialogue.socket,
      ...(isIP(settings.host) ? {} : { servername: settings.host }),
      rejectUnauthorized: settings.tlsRejectUnauthorized,
    });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', (error: NodeJS.ErrnoException) => reject(new SmtpError(`TLS failed: ${error.message}`, { code: 'ETLS', command: 'STARTTLS' })));
  });
}

function openSocket(settings: SessionSettings) {
  // Commands go out in the groups they belong to: Nagle would only hold the last piece of a
  // write back until the relay acknowledged the one before (up to a delayed ACK's 40 ms).
  const options = { host: settings.host, port: settings.port, noDelay: true };
  if (!settings.secure) return connectTcp(options);
  return connectTls({ ...options, ...(isIP(settings.host) ? {} : { servername: settings.host }), rejectUnauthorized: settings.tlsRejectUnauthorized });
}

/** Connects and readies a session, all within connectTimeoutMs; any failure closes the socket. */
export async function openSession(settings: SessionSettings): Promise<Session> {
  let dialogue = new Dialogue(openSocket(settings), settings.replyTimeoutMs);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    dialogue.destroy();
  }, settings.connectTimeoutMs);
  try {
    expectCode(await dialogue.expect('CONN'), 'CONN', 'EPROTOCOL', (code) => code === 220);
    let { extensions, auth } = await greet(dialogue);
    if (!settings.secure && extensions.has('STARTTLS')) {
      expectCode(await dialogue.command('STARTTLS'), 'STARTTLS', 'ETLS', positive);
      dialogue.release(); // the TLS socket reads the connection from now on
      dialogue = new Dialogue(await upgrade(dialogue, settings), settings.replyTimeoutMs);
      ({ extensions, auth } = await greet(dialogue));
    }
    if (settings.user) {
      if (!extensions.has('AUTH')) throw new SmtpError('authentication failed: the server offers no AUTH', { code: 'EAUTH', command: 'AUTH' });
      await signIn(dialogue, auth, settings.user, settings.pass ?? '');
    }
    return { dialogue, extensions };
  } catch (error) {
    dialogue.destroy();
    if (timedOut) {
      throw new SmtpError(`Greeting never received: no session within ${settings.connectTimeoutMs / 1000} s`, { code: 'ETIMEDOUT', command: 'CONN' });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

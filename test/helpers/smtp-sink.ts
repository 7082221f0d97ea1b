import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  /** The MAIL FROM parameters, e.g. { BODY: '8BITMIME' }. */
  mailFromArgs: Record<string, string | boolean>;
  /** When the end of its DATA arrived (Date.now()). */
  at: number;
}

/** An SMTP refusal: a code, or a code with its text (give the enhanced status code there, e.g. '5.1.1 No such user'). */
export type Refusal = number | { code: number; text: string };

export interface SinkBehaviour {
  /** Return an SMTP code (e.g. 451, 550) or a code with text to refuse this recipient, or undefined to accept. */
  rcpt?: (address: string, attempt: number) => Refusal | undefined;
  /** At most this many connections at once; the rest get "421 Too many connected clients". */
  maxClients?: number;
  /** Return a refusal to answer this message's end of DATA with it (a DMARC or content refusal), or undefined to accept. */
  data?: (recipients: string[], attempt: number) => Refusal | undefined;
  /** Return true to drop the connection in the middle of this message's DATA. */
  dropDuring?: (recipients: string[], attempt: number) => boolean;
  /** Wait this long before answering each message's DATA (a slow server, to catch a run mid-way). */
  delayMs?: number;
}

export interface Sink {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** How many times each recipient was offered (RCPT TO), accepted or not. */
  attempts: Map<string, number>;
  close(): Promise<void>;
  /** Stops at once, as a relay that dies: no new connection is taken and the open ones are cut. */
  kill(): void;
}

/** A real SMTP server on 127.0.0.1, port 0, that keeps what it receives and misbehaves on request. */
export async function startSink(behaviour: SinkBehaviour = {}): Promise<Sink> {
  const received: ReceivedMail[] = [];
  const attempts = new Map<string, number>();
  const dataAttempts = new Map<string, number>();
  const server: SMTPServer = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    size: 10 * 1024 * 1024,
    ...(behaviour.maxClients ? { maxClients: behaviour.maxClients } : {}),
    onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, callback: (error?: Error) => void) {
      const count = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, count);
      const refusal = behaviour.rcpt?.(address.address, count);
      if (refusal) {
        const text = typeof refusal === 'number' ? `${refusal >= 500 ? 'No such user' : 'Try again later'} <${address.address}>` : refusal.text;
        return callback(Object.assign(new Error(text), { responseCode: typeof refusal === 'number' ? refusal : refusal.code }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
      const key = recipients.join(',');
      const count = (dataAttempts.get(key) ?? 0) + 1;
      dataAttempts.set(key, count);
      if (behaviour.dropDuring?.(recipients, count)) {
        stream.once('data', () => {
          for (const connection of connectionsOf(server)) if (connection.id === session.id) connection._socket.destroy();
        });
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom || undefined;
        const from = mailFrom ? mailFrom.address : '';
        const mailFromArgs = (mailFrom && (mailFrom as { args?: Record<string, string | boolean> }).args) || {};
        const refusal = behaviour.data?.(recipients, count);
        const accept = () => {
          if (refusal) {
            const text = typeof refusal === 'number' ? `${refusal >= 500 ? 'Message refused' : 'Try again later'}` : refusal.text;
            return callback(Object.assign(new Error(text), { responseCode: typeof refusal === 'number' ? refusal : refusal.code }));
          }
          received.push({ from, to: recipients, raw: Buffer.concat(chunks), mailFromArgs, at: Date.now() });
          callback();
        };
        if (behaviour.delayMs) setTimeout(accept, behaviour.delayMs);
        else accept();
      });
    },
  });
  // A client killed mid-conversation resets its socket: expected here, not a test failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    kill() {
      server.server.close();
      for (const connection of connectionsOf(server)) connection._socket.destroy();
    },
  };
}

/** smtp-server's open connections (not public API: what a test needs to cut them). */
const connectionsOf = (server: SMTPServer) => (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections;

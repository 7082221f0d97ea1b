/**
 * A local SMTP sink in its own process (so it does not share a core's event loop with the
 * sender being measured). Prints {"port": N} on stdout, counts accepted messages and the distinct
 * recipients among them, and answers "count" on stdin with {"received": N, "recipients": M,
 * "firstAt": ms, "lastAt": ms} (when the first and the latest were accepted, ms since the epoch), and "recipients" with
 * every recipient it accepted, as often as it did.
 * SINK_DELAY_MS holds each answer to the end of DATA that long (a relay that fsyncs its queue).
 * smtp-server advertises PIPELINING, so a pipelining client can use it. Exits when stdin closes.
 */

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

const delayMs = Number(process.env.SINK_DELAY_MS ?? 0);
let received = 0;
/** When the first and the latest message were accepted, in ms since the epoch (with fractions, comparable across processes). */
let firstAt = 0;
let lastAt = 0;
const recipients = new Set<string>();
/** Every recipient accepted, as often as accepted (asked for with "recipients"). */
const accepted: string[] = [];
const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  disableReverseLookup: true,
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      for (const rcpt of session.envelope.rcptTo) {
        recipients.add(rcpt.address);
        accepted.push(rcpt.address);
      }
      const accept = () => {
        lastAt = performance.timeOrigin + performance.now();
        if (received++ === 0) firstAt = lastAt;
        callback();
      };
      if (delayMs > 0) setTimeout(accept, delayMs);
      else accept();
    });
  },
});
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.server.address() as AddressInfo).port })}\n`);
});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('recipients')) process.stdout.write(`${JSON.stringify(accepted)}\n`);
  else if (chunk.includes('count')) process.stdout.write(`${JSON.stringify({ received, recipients: recipients.size, firstAt, lastAt })}\n`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));

/**
 * A local SMTP sink in its own process (so it does not share a core's event loop with the
 * sender being measured). Prints {"port": N} on stdout, counts accepted messages and the distinct
 * recipients among them, and answers "count" on stdin with {"received": N, "recipients": M,
 * "firstAt": ms, "lastAt": ms} (when the first and the latest were accepted, ms since the epoch),
 * and "recipients" with every recipient it accepted, as often as it did. SINK_DELAY_MS holds
 * each answer to the end of DATA that long (a relay that fsyncs its queue). Exits when stdin closes.
 *
 * Written small on purpose rather than with smtp-server: it is a model of a relay's time, and
 * should spend as little of the two cores it shares with the sender as it can (it finds the end
 * of data with Buffer.indexOf and keeps none of it). It offers PIPELINING and answers in order.
 */
import { type AddressInfo, createServer } from 'node:net';

const delayMs = Number(process.env.SINK_DELAY_MS ?? 0);
let received = 0;
/** When the first and the latest message were accepted, in ms since the epoch (with fractions, comparable across processes). */
let firstAt = 0;
let lastAt = 0;
const recipients = new Set<string>();
/** Every recipient accepted, as often as accepted (asked for with "recipients"). */
const accepted: string[] = [];
const endOfData = Buffer.from('\r\n.\r\n');

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  let commands = '';
  let inData = false;
  let tail: Buffer = Buffer.alloc(0); // the last bytes of data seen, for an end split across chunks
  let envelope: string[] = [];
  let replies: Promise<void> = Promise.resolve(); // in order, each after the one before
  const reply = (text: string, holdMs = 0, then?: () => void) => {
    replies = replies.then(async () => {
      if (holdMs > 0) await new Promise((resolve) => setTimeout(resolve, holdMs));
      then?.();
      if (!socket.destroyed) socket.write(`${text}\r\n`);
    });
  };
  const command = (line: string) => {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO') reply('250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 10485760');
    else if (verb === 'HELO' || verb === 'NOOP' || verb === 'MAIL') reply('250 2.1.0 Ok');
    else if (verb === 'RSET') {
      envelope = [];
      reply('250 2.0.0 Ok');
    } else if (verb === 'RCPT') {
      envelope.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
      reply('250 2.1.5 Ok');
    } else if (verb === 'DATA') {
      inData = true; // the client sends its data only after the 354, so what follows is data
      tail = Buffer.from('\r\n'); // an empty message is a lone ".\r\n"
      reply('354 End data with <CR><LF>.<CR><LF>');
    } else if (verb === 'QUIT') reply('221 2.0.0 Bye', 0, () => socket.end());
    else reply('502 5.5.2 Command not recognized');
  };
  const accept = (to: string[]) =>
    reply('250 2.0.0 Ok: queued', delayMs, () => {
      lastAt = performance.timeOrigin + performance.now();
      if (received++ === 0) firstAt = lastAt;
      for (const address of to) {
        recipients.add(address);
        accepted.push(address);
      }
    });
  const read = (chunk: Buffer) => {
    if (inData) {
      const joined = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
      const end = joined.indexOf(endOfData);
      if (end === -1) {
        tail = joined.subarray(Math.max(0, joined.length - 4));
        return;
      }
      inData = false;
      accept(envelope);
      envelope = [];
      return read(joined.subarray(end + endOfData.length));
    }
    commands += chunk.toString('latin1');
    for (let newline = commands.indexOf('\r\n'); newline !== -1 && !inData; newline = commands.indexOf('\r\n')) {
      const line = commands.slice(0, newline);
      commands = commands.slice(newline + 2);
      command(line);
    }
    if (inData && commands.length > 0) {
      // Data that came with the DATA command itself (a client that did not wait for the 354): read it as data.
      const rest = Buffer.from(commands, 'latin1');
      commands = '';
      read(rest);
    }
  };
  socket.write('220 sink ESMTP\r\n');
  socket.on('data', read);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('recipients')) process.stdout.write(`${JSON.stringify(accepted)}\n`);
  else if (chunk.includes('count')) process.stdout.write(`${JSON.stringify({ received, recipients: recipients.size, firstAt, lastAt })}\n`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));

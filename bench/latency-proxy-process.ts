/**
 * A TCP proxy in its own process that models a relay across a network: what the client sends
 * goes straight to the server at PROXY_TARGET_PORT, and every chunk the server answers with
 * reaches the client PROXY_REPLY_DELAY_MS late (in order: timers of one duration fire in the
 * order they were set). It also counts the server's "queued as" replies (Postfix's answer to an
 * accepted message) and answers "count" on stdin with {"received", "firstAt", "lastAt"} as the
 * sink does. Prints {"port": N} on stdout; exits when stdin closes.
 */
import { type AddressInfo, connect, createServer } from 'node:net';

const targetPort = Number(process.env.PROXY_TARGET_PORT);
const delayMs = Number(process.env.PROXY_REPLY_DELAY_MS ?? 0);
let received = 0;
let firstAt = 0;
let lastAt = 0;

const countAccepted = (chunk: Buffer) => {
  const accepted = chunk.toString('latin1').match(/^250 .*queued as/gm)?.length ?? 0;
  if (accepted === 0) return;
  lastAt = performance.timeOrigin + performance.now();
  if (received === 0) firstAt = lastAt;
  received += accepted;
};

const server = createServer((client) => {
  const upstream = connect(targetPort, '127.0.0.1');
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream);
  upstream.on('data', (chunk: Buffer) => {
    countAccepted(chunk);
    if (delayMs > 0) setTimeout(() => client.write(chunk), delayMs);
    else client.write(chunk);
  });
  upstream.on('end', () => setTimeout(() => client.end(), delayMs));
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (chunk.includes('count')) process.stdout.write(`${JSON.stringify({ received, recipients: received, firstAt, lastAt })}\n`);
});
process.stdin.on('end', () => process.exit(0));

/**
 * A TCP proxy in its own process that models a relay across a network: what the client sends
 * goes straight to the server at PROXY_TARGET_PORT, and every chunk the server answers with
 * reaches the client PROXY_REPLY_DELAY_MS late (in order: timers of one duration fire in the
 * order they were set). Prints {"port": N} on stdout; exits when stdin closes.
 */
import { type AddressInfo, connect, createServer } from 'node:net';

const targetPort = Number(process.env.PROXY_TARGET_PORT);
const delayMs = Number(process.env.PROXY_REPLY_DELAY_MS ?? 0);

const server = createServer((client) => {
  const upstream = connect(targetPort, '127.0.0.1');
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream);
  upstream.on('data', (chunk) => setTimeout(() => client.write(chunk), delayMs));
  upstream.on('end', () => setTimeout(() => client.end(), delayMs));
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));

/**
 * The server under test for bench:web, in its own process: paperboy's web app with the
 * subscribe rate limit lifted (`bare`: a node:http hello world instead). Prints {"port": N}; then,
 * for each line `idle` on standard input, {"idleMs": N}: how long the work after the answers
 * (subscribe's store writes and confirmation mails) took to finish from then. Ends with its input.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config/index.js';
import { jsonTransport } from '../src/delivery/transports/json.js';
import { createOrResumeEdition } from '../src/pipeline/index.js';
import { openDatabase, SqliteEditionStore, SqlitePaperArchive, SqliteSubscriberStore } from '../src/stores/sqlite/index.js';
import { TokenSigner } from '../src/subscribers/index.js';
import { buildApp } from '../src/web/index.js';

const [mode, dataDir, day] = process.argv.slice(2) as ['paperboy' | 'bare', string, string];
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
let idle: () => Promise<void> = async () => undefined;

if (mode === 'bare') {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('hello world');
  });
  server.listen(0, '127.0.0.1', () => say({ port: (server.address() as AddressInfo).port }));
} else {
  const config = loadConfig({ env: {}, cwd: dataDir, flags: { dataDir, source: 'sample' } });
  const db = openDatabase(dataDir);
  const editions = new SqliteEditionStore(db);
  await createOrResumeEdition(config, editions, { list: 'default', day });
  const app = await buildApp({
    config,
    subscribers: new SqliteSubscriberStore(db),
    editions,
    papers: new SqlitePaperArchive(db),
    signer: new TokenSigner('bench-secret-bench-secret'),
    // Confirmation emails are built in full, as JSON lines, and dropped here (a file, even
    // /dev/null, would write each line from libuv's threads, which take the server's core).
    transport: jsonTransport(new Writable({ write: (_line, _encoding, done) => done() })),
    noRateLimit: true,
  });
  idle = () => app.background.idle();
  say({ port: Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port) });
}

const input = createInterface({ input: process.stdin });
input.on('line', async (line) => {
  if (line !== 'idle') return;
  const started = performance.now();
  await idle();
  say({ idleMs: performance.now() - started });
});
input.on('close', () => process.exit(0));

/**
 * The server under test for bench:web, in its own process: paperboy's web app with the
 * subscribe rate limit lifted (`bare`: a node:http hello world instead). Prints {"port": N}.
 */
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config/index.js';
import { jsonTransport } from '../src/delivery/transports/json.js';
import { createOrResumeEdition } from '../src/pipeline/index.js';
import { openDatabase, SqliteEditionStore, SqlitePaperArchive, SqliteSubscriberStore } from '../src/stores/sqlite/index.js';
import { TokenSigner } from '../src/subscribers/index.js';
import { buildApp } from '../src/web/index.js';

const [mode, dataDir, day] = process.argv.slice(2) as ['paperboy' | 'bare', string, string];
const announce = (port: number) => process.stdout.write(`${JSON.stringify({ port })}\n`);

if (mode === 'bare') {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('hello world');
  });
  server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
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
    // Confirmation emails are built in full and written as JSON lines to /dev/null.
    transport: jsonTransport(createWriteStream('/dev/null')),
    noRateLimit: true,
  });
  announce(Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port));
}
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));

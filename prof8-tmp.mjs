import pg from 'pg';
const { loadConfig } = await import('/work/main/dist/src/config/index.js');
const { openStores } = await import('/work/main/dist/src/stores/index.js');
const { createOrResumeEdition } = await import('/work/main/dist/src/pipeline/index.js');
const { runOwner } = await import('/work/main/dist/src/delivery/index.js');
const db = process.argv[2];
const config = loadConfig({ env: {}, flags: db === 'sqlite' ? { dataDir: '/tmp/prof8sq' } : { database: 'postgres://paperboy_test:paperboy_test@127.0.0.1/impbench' } });
const stores = await openStores(config);
const { edition } = await createOrResumeEdition(config, stores.editions, { list: 'default', day: '2026-05-0' + Math.floor(Math.random()*9+1) });
let t = performance.now();
await stores.ledger.enqueue(edition.id, 'default', 'example.org');
console.log('enqueue', (performance.now() - t).toFixed(0), 'ms');
const owner = runOwner();
await stores.ledger.startRun(edition.id, owner, { leaseMs: 60000, exclusive: false });
t = performance.now();
let n = 0; let after = 0;
for (;;) {
  const page = await stores.ledger.reserve(edition.id, owner, 200, new Date(), after);
  if (!page.length) break;
  after = page.at(-1).subscriberId;
  let i = 0;
  await Promise.all(Array.from({ length: 20 }, async () => { while (i < page.length) { const row = page[i++]; await stores.ledger.claim(edition.id, row.subscriberId, 'default', owner); await stores.ledger.markSent(edition.id, row.subscriberId, owner); n++; if (n >= 10000) return; } }));
  if (n >= 10000) break;
}
console.log(db, 'claim+sent per second', Math.round(n * 1000 / (performance.now() - t)));
await stores.close();

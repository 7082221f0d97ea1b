/**
 * bench:relay's last two parts: 2 relays against 1 where the relays are the bound, and a
 * simulated 1,000,000-reader edition (BENCH_FLEET_READERS readers, 20,000 by default, sent by 4
 * PostgreSQL senders × 2 relays) with the wall time it projects.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { paperboyEnv } from './bench-config.js';
import { createDatabase, ensurePostgres } from './local-postgres.js';
import { type FleetRun, paperboyProcess, sendAsFleet, sendThroughRelays } from './relay-fleet.js';
import { printFigures, verdict } from './report.js';

const delivered = (run: FleetRun) => verdict('delivery', run.lost === 0 && run.duplicates === 0, `${run.lost} lost, ${run.duplicates} duplicates`);

/** Relays that take 100 ms a message with 10 connections each allow 100 messages/s each: they, not the two cores, are the bound. */
export async function twoRelaysAgainstOne(work: string): Promise<void> {
  const [connections, messageDelayMs] = [10, 100];
  const one = await sendThroughRelays(work, 'relays-1', 1, 600, connections, messageDelayMs);
  const two = await sendThroughRelays(work, 'relays-2', 2, 1200, connections, messageDelayMs);
  const ratio = two.messagesPerSecond / one.messagesPerSecond;
  printFigures(`bench:relay — 2 relays against 1: each takes ${messageDelayMs} ms a message, ${connections} connections to each`, [
    { name: '1 relay (baseline)', value: one.messagesPerSecond, unit: `messages/s (ideal ${(connections * 1000) / messageDelayMs})` },
    {
      name: '2 relays, weight 1 each',
      value: two.messagesPerSecond,
      unit: `messages/s (ideal ${(2 * connections * 1000) / messageDelayMs}), shares ${two.shares.join(' / ')}`,
    },
    { name: '2 relays / 1 relay', value: ratio, unit: '×' },
  ]);
  verdict('2 relays', ratio >= 1.8, `${ratio.toFixed(2)}× one relay (target ≥ 1.8×)`);
  delivered(one);
  delivered(two);
}

const million = 1_000_000;
const minutes = (rate: number) => million / rate / 60;

/**
 * The shape of a million-reader send, scaled down to what this machine holds: 4 sender processes
 * sharing one PostgreSQL edition, each with 2 relays that take 25 ms a message (10 connections to
 * each). The projection takes the lower of two bounds: the relays (connections ÷ time per
 * message) and the senders' CPU per message measured here, spread over 4 machines of 2 cores.
 */
export async function millionReaders(work: string): Promise<void> {
  const readers = Number(process.env.BENCH_FLEET_READERS ?? 20_000);
  const shape = { senders: 4, relays: 2, readers, connections: 10, messageDelayMs: 25 };
  const server = await ensurePostgres();
  if (!server) {
    console.log('\nbench:relay — the 1,000,000-reader projection: left out (no PostgreSQL here).');
    return;
  }
  const env = paperboyEnv;
  const database = await createDatabase(server.url, 'paperboy_bench');
  try {
    const csv = join(work, 'fleet.csv');
    const lines = ['email,name', ...Array.from({ length: readers }, (_, i) => `reader${i}@example${i % 50}.org,Reader ${i}`)];
    writeFileSync(csv, `${lines.join('\n')}\n`);
    await paperboyProcess(['--database-url', database.url, '--data-dir', join(work, 'fleet-import'), 'subscribers', 'import', csv], work, env);
    const fleet = await sendAsFleet(work, env, database.url, shape);
    const relayBound = (shape.senders * shape.relays * shape.connections * 1000) / shape.messageDelayMs;
    const cpuBound = (shape.senders * 2 * 1000) / fleet.cpuMsPerMessage;
    const projected = Math.min(relayBound, cpuBound);
    printFigures(
      `bench:relay — a 1,000,000-reader edition, simulated: ${readers.toLocaleString('en-US')} readers, ${shape.senders} PostgreSQL senders × ${shape.relays} relays (${shape.messageDelayMs} ms a message, ${shape.connections} connections each)`,
      [
        {
          name: 'measured here, all on 2 cores',
          value: fleet.run.messagesPerSecond,
          unit: `messages/s → 1,000,000 in ${minutes(fleet.run.messagesPerSecond).toFixed(1)} min; relay shares ${fleet.run.shares.join(' / ')}`,
        },
        { name: "senders' CPU per message", value: fleet.cpuMsPerMessage, unit: 'ms (every sender thread; PostgreSQL and the relays not counted)' },
        {
          name: 'bound by the relays',
          value: relayBound,
          unit: `messages/s (${shape.senders} × ${shape.relays} × ${shape.connections} connections ÷ ${shape.messageDelayMs} ms)`,
        },
        { name: 'bound by the senders, 4 machines × 2 cores', value: cpuBound, unit: 'messages/s' },
        { name: 'projected', value: projected, unit: `messages/s → 1,000,000 in ${minutes(projected).toFixed(1)} min` },
      ],
    );
    delivered(fleet.run);
  } finally {
    await database.drop().catch(() => undefined);
    server.stop?.();
  }
}

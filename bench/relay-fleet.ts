/**
 * bench:relay's runs with more than one relay: paperboy's send path to 2 relays against 1 where
 * the relays are the bound, and an edition sent by several `paperboy send` processes sharing one
 * PostgreSQL edition, each with 2 relays, timed to project a 1,000,000-reader edition.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig } from './bench-config.js';
import { deliverEdition } from '../src/pipeline/index.js';
import { seed } from './edition-messages.js';
import { type Sink, type SinkCounts, startSink } from './sink.js';

export interface FleetRun {
  /** Messages ÷ the time from the first acceptance at any relay to the last. */
  messagesPerSecond: number;
  lost: number;
  duplicates: number;
  /** Messages each relay accepted. */
  shares: number[];
}

/** What several sinks accepted, together: a reader who reached two relays is a duplicate too. */
async function together(sinks: Sink[], count: number): Promise<FleetRun> {
  const counts: SinkCounts[] = await Promise.all(sinks.map((sink) => sink.counts()));
  const accepted = (await Promise.all(sinks.map((sink) => sink.recipients()))).flat();
  const distinct = new Set(accepted).size;
  const firstAt = Math.min(...counts.filter((each) => each.received > 0).map((each) => each.firstAt));
  const lastAt = Math.max(...counts.map((each) => each.lastAt));
  return {
    messagesPerSecond: ((accepted.length - 1) * 1000) / (lastAt - firstAt),
    lost: count - distinct,
    duplicates: accepted.length - distinct,
    shares: counts.map((each) => each.received),
  };
}

async function withSinks<T>(count: number, messageDelayMs: number, use: (sinks: Sink[]) => Promise<T>): Promise<T> {
  const sinks = await Promise.all(Array.from({ length: count }, () => startSink(messageDelayMs)));
  try {
    return await use(sinks);
  } finally {
    for (const sink of sinks) sink.stop();
  }
}

/** One edition to `relays` sinks that take `messageDelayMs` a message, `connections` connections to each, through paperboy's send path (SQLite). */
export async function sendThroughRelays(
  work: string,
  name: string,
  relays: number,
  readers: number,
  connections: number,
  messageDelayMs: number,
): Promise<FleetRun> {
  const dataDir = join(work, name);
  await seed(dataDir, readers);
  return withSinks(relays, messageDelayMs, async (sinks) => {
    const config = benchConfig(work, dataDir, {
      'delivery.relays': sinks.map((sink, index) => ({ url: sink.url, name: `relay-${index + 1}`, maxConnections: connections })),
    });
    const result = await deliverEdition(config, { list: 'default', date: '2026-11-26' });
    if (result.kind !== 'sent') throw new Error(`paperboy did not send: ${JSON.stringify(result)}`);
    return together(sinks, readers);
  });
}

export interface ProcessRun {
  stdout: string;
  cpuMs: number;
}

/** `paperboy ARGS` in its own process, with the CPU time it used (every thread's). */
export function paperboyProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  const dist = import.meta.dirname;
  const child = spawn(join(dist, '..', '..', 'bin', 'paperboy.js'), args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, NODE_OPTIONS: `--import=${join(dist, 'rss-on-exit.js')}` },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`paperboy ${args.join(' ')} exited ${code}: ${stderr}`));
      resolve({ stdout, cpuMs: (JSON.parse(stderr.trim().split('\n').at(-1) ?? '{}') as { cpuMs: number }).cpuMs });
    }),
  );
}

export interface Fleet {
  senders: number;
  relaysEach: number;
  run: FleetRun;
  /** CPU time of every sender process together, per message. */
  cpuMsPerMessage: number;
}

/**
 * `readers` readers in the PostgreSQL database at `databaseUrl`, sent by `senders` processes
 * sharing the edition, each with the same `relays` relays (sinks of `messageDelayMs`) and
 * `connections` connections to each.
 */
export async function sendAsFleet(
  work: string,
  env: NodeJS.ProcessEnv,
  databaseUrl: string,
  shape: { senders: number; relays: number; readers: number; connections: number; messageDelayMs: number },
): Promise<Fleet> {
  return withSinks(shape.relays, shape.messageDelayMs, async (sinks) => {
    const configFile = join(work, 'fleet.json');
    const relays = sinks.map((sink, index) => ({ url: sink.url, name: `relay-${index + 1}`, maxConnections: shape.connections }));
    writeFileSync(configFile, JSON.stringify({ database: databaseUrl, source: 'sample', delivery: { relays } }));
    const runs = await Promise.all(
      Array.from({ length: shape.senders }, (_, index) =>
        paperboyProcess(['--config', configFile, '--data-dir', join(work, `fleet-sender-${index}`), 'send', '--date', '2026-11-26', '--json'], work, env),
      ),
    );
    const cpuMs = runs.reduce((sum, run) => sum + run.cpuMs, 0);
    return { senders: shape.senders, relaysEach: shape.relays, run: await together(sinks, shape.readers), cpuMsPerMessage: cpuMs / shape.readers };
  });
}

/**
 * One measured send for bench:relay: a fresh relay (a sink in its own process, behind a latency
 * proxy when replies are late), one sender, and what the sink counted afterwards.
 */
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { benchConfig } from './bench-config.js';
import { inFlightOf } from '../src/delivery/index.js';
import { deliverEdition } from '../src/pipeline/index.js';
import { editionMessages, seed, sendComposed } from './edition-messages.js';
import { sleep } from '../src/sleep.js';
import { startPostfix } from '../test/helpers/postfix.js';
import { sendPipelined } from './pipelining-client.js';
import { type Sink, startLatencyProxy, startSink } from './sink.js';

export interface RelayModel {
  /** A real Postfix (queueing every message, then discarding it) instead of a sink. */
  postfix?: boolean;
  /** How long the relay takes to queue each message after the end of DATA. */
  messageDelayMs: number;
  /** How late every reply of the relay arrives. */
  replyDelayMs: number;
}

export interface Run {
  /** While sending: messages ÷ the time from the first message the relay accepted to the last (startup left out, as in a long run). */
  messagesPerSecond: number;
  /** From the start of the send to the first message the relay accepted (opening the store, the edition, the connections). */
  startupMs: number;
  /** Messages the relay never got, and messages it got more than once. */
  lost: number;
  duplicates: number;
}

const day = '2026-11-26';

/** Postfix behind a proxy that only counts its "queued as" replies; the recipients come from its log once its queue is empty. */
async function startPostfixRelay(): Promise<Sink> {
  const postfix = await startPostfix('example.org', 'discard');
  const proxy = await startLatencyProxy(postfix.port, 0);
  const delivered = () => [...postfix.log().matchAll(/to=<([^>]+)>.*status=sent/g)].map((match) => match[1]!);
  return {
    ...proxy,
    async counts() {
      const { received, firstAt, lastAt } = await proxy.counts();
      for (let waited = 0; delivered().length < received && waited < 60_000; waited += 200) await sleep(200);
      const recipients = new Set(delivered()).size;
      return { received: delivered().length, recipients, firstAt, lastAt };
    },
    recipients: async () => delivered(),
    stop: async () => {
      proxy.stop();
      await postfix.stop();
    },
  };
}

async function startRelay(model: RelayModel): Promise<Sink> {
  if (model.postfix) return startPostfixRelay();
  const sink = await startSink(model.messageDelayMs);
  if (model.replyDelayMs === 0) return sink;
  const proxy = await startLatencyProxy(sink.port, model.replyDelayMs);
  return {
    ...proxy,
    counts: sink.counts,
    recipients: sink.recipients,
    stop: () => {
      proxy.stop();
      sink.stop();
    },
  };
}

async function timed(model: RelayModel, count: number, send: (relay: Sink) => Promise<void>): Promise<Run> {
  const relay = await startRelay(model);
  try {
    const startedAt = performance.timeOrigin + performance.now();
    await send(relay);
    const { received, recipients, firstAt, lastAt } = await relay.counts();
    return {
      // Between the first acceptance and the last, received - 1 messages were accepted.
      messagesPerSecond: ((received - 1) * 1000) / (lastAt - firstAt),
      startupMs: firstAt - startedAt,
      lost: count - recipients,
      duplicates: received - recipients,
    };
  } finally {
    await relay.stop();
  }
}

/**
 * `count` readers in a data folder of their own under `work`, sent one edition by (1) paperboy's
 * real send path (store, ledger, render, its SMTP pool) and (2) a plain nodemailer pool composing
 * the same messages, and (3) a bare pipelining client with them pre-built (what the relay model
 * allows on this machine), each with `connections` connections to a relay of its own.
 */
export async function measureBoth(
  work: string,
  name: string,
  model: RelayModel,
  count: number,
  connections: number,
): Promise<{ paperboy: Run; plain: Run; bare: Run }> {
  const dataDir = join(work, name);
  await seed(dataDir, count);
  const configFor = (url: string) => benchConfig(work, dataDir, { transport: url, 'delivery.maxConnections': connections });
  const paperboy = await timed(model, count, async (relay) => {
    const result = await deliverEdition(configFor(relay.url), { list: 'default', date: day });
    if (result.kind !== 'sent') throw new Error(`paperboy did not send: ${JSON.stringify(result)}`);
  });

  // The transport plays no part in building a message.
  const config = configFor('json:');
  const { rows, message } = await editionMessages(config, dataDir, day);
  const plain = await timed(model, count, async (relay) => {
    const pool = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: relay.port, secure: false, maxConnections: connections });
    try {
      await sendComposed(pool, rows.length, (index) => message(rows[index]!), inFlightOf(config));
    } finally {
      pool.close();
    }
  });
  const prebuilt = rows.map((row) => ({ from: 'digest@paperboy.localhost', to: row.email, raw: message(row).raw }));
  const bare = await timed(model, count, async (relay) => {
    await sendPipelined(relay.port, prebuilt, connections);
  });
  return { paperboy, plain, bare };
}

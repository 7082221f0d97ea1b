/**
 * npm run bench:relay — paperboy against relays that take their time, as every real one does
 * (Postfix fsyncing its queue, SES, Postmark, a provider's MX: 10–200 ms a message), where the
 * rate is messages in flight ÷ latency. Each relay is a sink in its own process modelling
 * (a) a relay that takes 25 or 100 ms to queue each message after the end of DATA, or
 * (b) a relay across a network: a proxy in front of the sink delivers every reply 10 ms late.
 * For each: paperboy's real send path, a plain nodemailer pool with as many connections sending
 * the same messages, and the ideal (connections ÷ time per message); next to them a bare
 * pipelining client with pre-built messages shows what the model allows on this machine.
 * Rates are taken while sending: messages ÷ the time from the relay's first acceptance to its
 * last, for every client alike, so a one-off start (paperboy opening its store and freezing the
 * edition) does not weigh on a short run as it would not on a long one; it is printed apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { millionReaders, twoRelaysAgainstOne } from './relay-million.js';
import { measureBoth, type RelayModel, type Run } from './relay-runs.js';
import { printFigures, verdict } from './report.js';

const connections = 10;
/** Each way takes about this long at the ideal rate, unless BENCH_RELAY_MESSAGES sets the count. */
const secondsEach = 5;

interface Scenario extends RelayModel {
  name: string;
  /** Messages per second the connections allow at best, and how that is reckoned (none for a real relay). */
  ideal?: { rate: number; how: string };
  /** Messages to send. */
  count: number;
  /** paperboy ÷ ideal and paperboy ÷ nodemailer pool it should reach. */
  target: { ideal?: number; plain: number };
}

const queueing = (ms: number): Scenario => ({
  name: `(a) ${ms} ms to queue each message`,
  messageDelayMs: ms,
  replyDelayMs: 0,
  ideal: { rate: (connections * 1000) / ms, how: `${connections} connections ÷ ${ms} ms` },
  count: Math.round(((connections * 1000) / ms) * secondsEach),
  target: { ideal: 0.9, plain: 1 },
});

/**
 * A client that does not pipeline waits for four replies a message: MAIL, RCPT, DATA and the end
 * of data. nodemailer (10.6) sends MAIL, RCPT and DATA together when the relay offers PIPELINING,
 * and so waits for two; the ideal line says both.
 */
const network = (ms: number): Scenario => ({
  name: `(b) every reply ${ms} ms late`,
  messageDelayMs: 0,
  replyDelayMs: ms,
  ideal: {
    rate: (connections * 1000) / (4 * ms),
    how: `${connections} connections ÷ (4 round trips × ${ms} ms), a client that does not pipeline; ${(connections * 1000) / (2 * ms)}/s at 2, MAIL RCPT DATA sent together as nodemailer does`,
  },
  count: Math.round(((connections * 1000) / (4 * ms)) * secondsEach),
  target: { plain: 1.5 },
});

/** A real Postfix of its own (root only): smtpd and cleanup write every message to its queue before they answer, then it is discarded. */
const postfix: Scenario = {
  name: 'a real Postfix (queued, then discarded)',
  postfix: true,
  messageDelayMs: 0,
  replyDelayMs: 0,
  count: 2000,
  target: { plain: 1 },
};

const postfixRuns = userInfo().uid === 0 && spawnSync('postfix', ['-h'], { stdio: 'ignore' }).error === undefined;
const scenarios = [queueing(25), queueing(100), network(10), ...(postfixRuns ? [postfix] : [])];

function report(scenario: Scenario, count: number, { paperboy, plain, bare }: { paperboy: Run; plain: Run; bare: Run }): void {
  const toIdeal = scenario.ideal ? paperboy.messagesPerSecond / scenario.ideal.rate : undefined;
  const toPlain = paperboy.messagesPerSecond / plain.messagesPerSecond;
  printFigures(`bench:relay — ${scenario.name}: ${count.toLocaleString('en-US')} messages, ${connections} connections`, [
    { name: '(1) paperboy send (store, ledger, render, pool)', value: paperboy.messagesPerSecond, unit: 'messages/s' },
    { name: '(2) plain nodemailer pool', value: plain.messagesPerSecond, unit: 'messages/s' },
    ...(scenario.ideal ? [{ name: '(3) ideal', value: scenario.ideal.rate, unit: `messages/s (${scenario.ideal.how})` }] : []),
    { name: '(4) bare pipelining client, messages pre-built', value: bare.messagesPerSecond, unit: 'messages/s (what the relay model allows here)' },
    { name: '    paperboy before its first message', value: paperboy.startupMs, unit: 'ms (store, edition, connections; not in the rates)' },
    ...(toIdeal !== undefined ? [{ name: '(1) / (3)', value: toIdeal, unit: '×' }] : []),
    { name: '(1) / (2)', value: toPlain, unit: '×' },
  ]);
  const { ideal, plain: plainTarget } = scenario.target;
  if (ideal !== undefined && toIdeal !== undefined) verdict('vs ideal', toIdeal >= ideal, `${toIdeal.toFixed(2)}× (target ≥ ${ideal}×)`);
  verdict('vs nodemailer pool', toPlain >= plainTarget, `${toPlain.toFixed(2)}× (target ≥ ${plainTarget}×${plainTarget > 1 ? '' : ', never below'})`);
  for (const [who, run] of [
    ['paperboy', paperboy],
    ['nodemailer', plain],
    ['bare client', bare],
  ] as const) {
    verdict(`${who} delivery`, run.lost === 0 && run.duplicates === 0, `${run.lost} lost, ${run.duplicates} duplicates`);
  }
}

const work = mkdtempSync(join(tmpdir(), 'paperboy-bench-relay-'));
try {
  for (const [index, scenario] of scenarios.entries()) {
    const count = Number(process.env.BENCH_RELAY_MESSAGES ?? scenario.count);
    report(scenario, count, await measureBoth(work, `scenario-${index}`, scenario, count, connections));
  }
  await twoRelaysAgainstOne(work);
  await millionReaders(work);
  if (!postfixRuns) console.log('\nbench:relay — a real Postfix: left out (it needs root and the postfix package).');
} finally {
  rmSync(work, { recursive: true, force: true });
}

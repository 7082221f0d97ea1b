import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, relaysOf, transportSpecs } from '../config/index.js';
import { outboxDir, type RelaySummary, type SendSummary } from '../delivery/index.js';
import { PaperboyError } from '../errors.js';
import { describeSkipped, isWeekKey } from '../papers/index.js';
import { deliverEdition } from '../pipeline/index.js';
import { gmailClipBytes } from '../render/index.js';
import { count } from '../words.js';
import { paperboyCommand, passwordNote, sendCommand } from './commands.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { invocation } from './invocation.js';
import { formatBytes, print, printJson, warn } from './output.js';
import { shownPath } from './paths.js';
import { progressBar } from './progress.js';
import type { SendOptions } from './register/index.js';

/** What a person reads after a send: the run, the ledger, the top failure, what waits and where the mail is. */
export function summaryLines(
  summary: SendSummary,
  config: Readonly<Config>,
  resume: string,
  details = `${invocation()} editions show ${summary.day} --list ${summary.list}`,
): string[] {
  const { counts } = summary;
  const lines = [
    `Edition ${summary.day} → ${summary.list}: ${summary.sent} sent this run` +
      `${summary.recovered ? ` (${summary.recovered} re-sent after an interrupted run, same Message-IDs)` : ''}, ` +
      `${summary.failed} failed${summary.bounced ? ` (${summary.bounced} bounced)` : ''}, ${summary.skipped} skipped (unsubscribed meanwhile).`,
    ...(summary.skippedNoMatch ? [`  ${count(summary.skippedNoMatch, 'alerts-only reader')} got nothing: none of their alerts matched this edition.`] : []),
    `  This edition so far, every run: ${counts.sent} sent, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.retry} waiting to retry, ${counts.pending + counts.sending} not yet sent.`,
  ];
  if (summary.mayHaveGoneTwice) {
    lines.push(
      `  ${count(summary.mayHaveGoneTwice, 'message')} may have reached ${summary.mayHaveGoneTwice === 1 ? 'its reader' : 'their readers'} twice: in flight when a run stopped or was taken over (the same Message-ID both times).`,
    );
  }
  for (const held of summary.pausedDomains ?? []) lines.push(`  Held for ${held.domain}: ${held.reason}.`);
  if (summary.heldByOthers)
    lines.push(
      `  ${count(summary.heldByOthers, 'message')} more ${summary.heldByOthers === 1 ? 'is' : 'are'} being sent by the other senders of this edition.`,
    );
  if (summary.topFailure) {
    const { reason, kind, count: times } = summary.topFailure;
    lines.push(`  Most common failure (${kind}): ${reason} — ${count(times, 'time')}. Details: ${details}`);
  }
  if (summary.connectionsLoweredTo)
    lines.push(`  The server refused extra connections (421): this run went down to ${summary.connectionsLoweredTo} at a time.`);
  if (summary.relays) lines.push(...relayLines(summary.relays));
  if (summary.nextRetryAt && !summary.paused && !summary.interrupted) {
    lines.push(
      `  ${count(counts.retry, 'message')} ${counts.retry === 1 ? 'waits' : 'wait'} for a retry from ${summary.nextRetryAt}: \`paperboy schedule\` retries ${counts.retry === 1 ? 'it' : 'them'}, or run \`${resume}\` then; ` +
        `a deferred message is tried for ${config.delivery.retryWindowHours} hours before it fails.`,
    );
  }
  const rows = counts.pending + counts.sending + counts.sent + counts.retry + counts.failed + counts.skipped;
  if (rows === 0) {
    const readers = isWeekKey(summary.day) ? 'its weekly readers' : 'its daily readers, and alerts readers when one of their searches matches';
    lines.push(`  Nobody on ${summary.list} gets this edition: it goes to ${readers}, and there are none.`);
  } else if (summary.complete && config.transport.startsWith('outbox:') && relaysOf(config).length === 0) {
    const folder = join(outboxDir(config.transport, config.dataDir), `${summary.day}-${summary.list}`);
    const shown = shownPath(folder, config.transport.slice('outbox:'.length) || config.dataDir);
    const first = existsSync(folder) ? readdirSync(folder).find((name) => name.endsWith('.eml')) : undefined;
    lines.push(`Messages are in ${shown}/ (one .eml per subscriber).${first ? ` Open one in any mail client, e.g. xdg-open ${join(shown, first)}` : ''}`);
    lines.push(
      `To see the digest in a browser instead: ${invocation()} preview (writes ${shownPath(join(config.previewDir, 'digest.html'), config.previewDir)}).`,
    );
  }
  return lines;
}

/** Each relay's part in the run, and the relays that went down: why, and where their share went. */
function relayLines(relays: readonly RelaySummary[]): string[] {
  const lines = [`  Relays: ${relays.map((relay) => `${relay.name} ${relay.sent} sent, ${relay.failed} failed`).join('; ')}.`];
  for (const { name, down } of relays) {
    if (!down) continue;
    const share = down.shareWentTo.length > 0 ? `its share went to ${down.shareWentTo.join(', ')}` : 'no other relay could take its share';
    lines.push(
      down.upAgain ? `  Relay ${name} was down (${down.reason}) and came back; meanwhile ${share}.` : `  Relay ${name} down: ${down.reason}; ${share}.`,
    );
  }
  return lines;
}

/** Ctrl-C / SIGTERM: stop taking new messages and let the in-flight ones finish; a second signal leaves at once. */
export function stopOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const stop = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130); // the next run re-sends what was in flight, with the same Message-IDs
    warn(`${name}: finishing the messages in flight, then stopping (again to quit at once).`);
    stop.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: stop.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export async function runSend(options: SendOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global, {
    source: options.source,
    transport: options.transport,
    'newsletter.baseUrl': options.baseUrl,
    [options.weekly || (options.date !== undefined && isWeekKey(options.date)) ? 'selection.weeklyTop' : 'selection.top']: options.top,
  });
  const list = options.list ?? 'default';
  const json = options.json ?? false;
  // json: writes the messages to stdout; everything said to a person then goes to stderr.
  const toStderr = transportSpecs(config).some((spec) => spec.startsWith('json'));
  const say = toStderr ? (line = '') => process.stderr.write(`${line}\n`) : print;
  const sayJson = toStderr ? (value: unknown) => process.stderr.write(`${JSON.stringify(value, null, 2)}\n`) : printJson;
  const stop = stopOnSignals();
  const bar =
    json || options.dryRun ? undefined : progressBar(1, 'messages', '{bar} {percentage}% | {value}/{total} | {failed} failed | {rate}/s | ETA {eta}s');
  let result: Awaited<ReturnType<typeof deliverEdition>>;
  try {
    result = await deliverEdition(config, {
      list,
      ...(options.date ? { date: options.date } : {}),
      weekly: options.weekly ?? false,
      dryRun: options.dryRun ?? false,
      retryFailed: options.retryFailed ?? false,
      command: (words) => paperboyCommand(global, words).command,
      signal: stop.signal,
      onNotice: (line) => !json && say(line),
      onSkippedItems: (items) => {
        for (const item of items) warn(describeSkipped(item));
      },
      onWarning: warn,
      onProgress: (progress) => {
        const seconds = (performance.now() - progress.startedAt) / 1000;
        bar?.setTotal(progress.total);
        bar?.update(progress.sent + progress.failed, { failed: progress.failed, rate: Math.round(progress.sent / Math.max(seconds, 0.001)) });
      },
    });
  } finally {
    bar?.stop();
    stop.dispose();
  }
  if (json)
    sayJson(
      result.kind === 'sent'
        ? { ...result.summary, transport: result.transport, resumed: result.resumed, retriedFailed: result.retriedFailed, leftOutDays: result.leftOutDays }
        : result,
    );
  if (result.kind === 'no-papers') {
    const recent = result.droppedAsRecent ? ` (${result.droppedAsRecent} were already featured recently)` : '';
    if (!json) say(`No papers for ${result.day} from ${result.source}${recent}: no edition, nothing sent.`);
    return;
  }
  if (result.kind === 'dry-run') {
    if (!json) sayDryRun(result, say);
    return;
  }
  const { summary } = result;
  const resume = sendCommand(global, {
    list,
    day: result.day,
    source: options.source ?? (result.source !== config.source ? result.source : undefined),
    transport: options.transport,
    baseUrl: options.baseUrl,
  });
  const password = passwordNote(resume);
  const details = paperboyCommand(global, ['editions', 'show', result.day, '--list', list]).command;
  if (!json) for (const line of summaryLines(summary, config, resume.command, details)) say(line);
  throwUnlessFinished(summary, resume.command, password);
}

function sayDryRun(result: Extract<Awaited<ReturnType<typeof deliverEdition>>, { kind: 'dry-run' }>, say: (line?: string) => void): void {
  say(
    `Dry run: the ${result.day} edition (${count(result.papers, 'paper')}) would go to ${count(result.messages, 'subscriber')} of ${result.list}; nothing was sent or recorded.`,
  );
  if (result.skippedNoMatch) say(`  ${count(result.skippedNoMatch, 'alerts-only reader')} would get nothing: none of their alerts matched.`);
  say(
    `  ${formatBytes(result.bytes)} in all; largest HTML ${formatBytes(result.largestHtml)}${result.largestHtml > gmailClipBytes ? ' — over the 102 KB at which Gmail clips' : ''}.`,
  );
}

/** A run that ended before the edition did says why, and the command that resumes it. */
function throwUnlessFinished(summary: SendSummary, resume: string, password: string): void {
  if (summary.lostLease) {
    const twice = summary.mayHaveGoneTwice
      ? `; ${count(summary.mayHaveGoneTwice, 'message')} it had in flight may reach ${summary.mayHaveGoneTwice === 1 ? 'its reader' : 'their readers'} twice (same Message-ID)`
      : '';
    throw new PaperboyError(
      'STORE',
      `This run stalled past its lease and another run took the edition over${twice}. The other run finishes the edition (or run \`${resume}\`${password}).`,
    );
  }
  if (summary.interrupted) throw new PaperboyError('INTERRUPTED', `Stopped before the end; run \`${resume}\`${password} to resume (nobody gets it twice).`);
  if (summary.paused)
    throw new PaperboyError(
      'TRANSPORT',
      `Paused: ${summary.paused}. Every unsent message is waiting; fix the transport, then run \`${resume}\`${password} to resume.`,
    );
  if (summary.pausedDomains?.length) {
    const domains = summary.pausedDomains.map((held) => held.domain).join(', ');
    throw new PaperboyError(
      'TRANSPORT',
      `Held mail to ${domains}: its bounces went far beyond a list's rate (a relay or routing fault for it?). The rest of the edition went out; once that is fixed, run \`${resume}\`${password}.`,
    );
  }
}

import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Config } from '../config/index.js';
import { outboxFileName, type SendSummary } from '../delivery/index.js';
import { PaperboyError } from '../errors.js';
import { describeSkipped } from '../papers/index.js';
import { deliverEdition } from '../pipeline/index.js';
import { gmailClipBytes } from '../render/index.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { formatBytes, print, printJson, warn } from './output.js';
import { progressBar } from './progress.js';

export interface SendOptions {
  list?: string;
  date?: string;
  source?: string;
  transport?: string;
  baseUrl?: string;
  top?: number;
  dryRun?: boolean;
  json?: boolean;
}

function printSummary(summary: SendSummary, config: Readonly<Config>, resume: string, print: (line: string) => void): void {
  const { counts } = summary;
  print(
    `Edition ${summary.day} → ${summary.list}: ${summary.sent} sent this run` +
      `${summary.recovered ? ` (${summary.recovered} re-sent after an interrupted run, same Message-IDs)` : ''}, ` +
      `${summary.failed} failed${summary.bounced ? ` (${summary.bounced} bounced)` : ''}, ${summary.skipped} skipped (unsubscribed meanwhile).`,
  );
  print(`  Ledger: ${counts.sent} sent, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.retry} waiting to retry, ${counts.pending + counts.sending} not yet sent.`);
  if (summary.nextRetryAt && !summary.paused && !summary.interrupted) {
    print(`  ${counts.retry} messages wait for a retry from ${summary.nextRetryAt}; \`${resume}\` picks them up.`);
  }
  if (summary.complete && config.transport.startsWith('outbox:')) {
    const dir = config.transport.slice('outbox:'.length);
    const folder = join(dir, outboxFileName({ edition: { day: summary.day, list: summary.list } } as never), '..');
    const shown = relative(process.cwd(), folder) || folder;
    const first = existsSync(folder) ? readdirSync(folder).find((name) => name.endsWith('.eml')) : undefined;
    print(`Messages are in ${shown}/ (one .eml per subscriber).${first ? ` Open one in any mail client, e.g. xdg-open ${join(shown, first)}` : ''}`);
    print('To see the digest in a browser instead: npx paperboy preview (writes preview/digest.html).');
  }
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
    'selection.top': options.top,
  });
  const list = options.list ?? 'default';
  const json = options.json ?? false;
  // json: writes the messages to stdout; everything said to a person then goes to stderr.
  const toStderr = config.transport.startsWith('json');
  const say = toStderr ? (line = '') => process.stderr.write(`${line}\n`) : print;
  const sayJson = toStderr ? (value: unknown) => process.stderr.write(`${JSON.stringify(value, null, 2)}\n`) : printJson;
  const stop = stopOnSignals();
  const bar = json || options.dryRun ? undefined : progressBar(1, 'messages', '{bar} {percentage}% | {value}/{total} | {failed} failed | {rate}/s | ETA {eta}s');
  let result;
  try {
    result = await deliverEdition(config, {
      list,
      ...(options.date ? { date: options.date } : {}),
      dryRun: options.dryRun ?? false,
      signal: stop.signal,
      onNotice: (line) => !json && say(line),
      onSkippedItems: (items) => items.forEach((item) => warn(describeSkipped(item))),
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
  if (json) sayJson(result.kind === 'sent' ? { ...result.summary, transport: result.transport, resumed: result.resumed } : result);
  if (result.kind === 'no-papers') {
    const recent = result.droppedAsRecent ? ` (${result.droppedAsRecent} were already featured recently)` : '';
    if (!json) say(`No papers for ${result.day} from ${result.source}${recent}: no edition, nothing sent.`);
    return;
  }
  if (result.kind === 'dry-run') {
    if (!json) {
      say(`Dry run: the ${result.day} edition (${result.papers} papers) would go to ${result.messages} subscribers of ${result.list}; nothing was sent or recorded.`);
      say(`  ${formatBytes(result.bytes)} in all; largest HTML ${formatBytes(result.largestHtml)}${result.largestHtml > gmailClipBytes ? ' — over the 102 KB at which Gmail clips' : ''}.`);
    }
    return;
  }
  const { summary } = result;
  const resume = `paperboy send --list ${list} --date ${result.day}`;
  if (!json) printSummary(summary, config, resume, say);
  if (summary.interrupted) throw new PaperboyError('INTERRUPTED', `Stopped before the end; run \`${resume}\` to resume (nobody gets it twice).`);
  if (summary.paused) throw new PaperboyError('TRANSPORT', `Paused: ${summary.paused}. Fix the transport, then run \`${resume}\` to resume.`);
}

import { complaintLimitRate, complaintWarningRate, type FeedbackRates, feedbackRates, percent } from '../bounces/index.js';
import type { EditionSummary } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import type { FailureGroup } from '../ledger/index.js';
import { parseEditionKey } from '../papers/index.js';
import { withStores } from '../stores/index.js';
import { withoutPassword } from '../url-secrets.js';
import { count } from '../words.js';
import { passwordNote, sendCommand } from './commands.js';
import { commandConfig } from './context.js';
import type { GlobalOptions } from './flags.js';
import { print, printJson } from './output.js';
import type { EditionListOptions, EditionShowOptions } from './register/index.js';

/** How many rows `--failures` lists. */
const failureListLimit = 10_000;

export const list = (options: EditionListOptions, global: GlobalOptions) =>
  withStores(commandConfig(global), async ({ editions }) => {
    const rows = await editions.list(options.list ? { list: options.list } : {});
    if (options.json) return printJson(rows);
    if (rows.length === 0) return print('No editions yet; paperboy send creates one.');
    for (const row of rows) print(editionLine(row));
  });

/** One edition as `editions list` shows it. */
export function editionLine(row: EditionSummary): string {
  const { sent, failed, skipped, retry, pending, sending } = row.counts;
  return `${row.day}  ${row.list}  ${count(row.papers, 'paper')}  ${sent} sent, ${failed} failed, ${skipped} skipped, ${retry} retry, ${pending + sending} pending  ${row.completedAt ? 'complete' : 'open'}`;
}

function printGroups(groups: FailureGroup[]): void {
  for (const status of ['failed', 'waiting'] as const) {
    const mine = groups.filter((group) => group.status === status);
    if (mine.length === 0) continue;
    print(`  ${status === 'failed' ? 'Failed' : 'Waiting for another try'}, by reason:`);
    for (const group of mine) print(`    ${String(group.count).padStart(6)}  ${group.kind.padEnd(8)}  ${group.reason}`);
  }
}

/** Bounces and complaints that came back after the send, with the complaint rate flagged against the mail providers' limits. */
function printFeedback(feedback: FeedbackRates): void {
  const { bounces, hardBounces, complaints, bounceRate, complaintRate, complaintFlag } = feedback;
  print(
    `  Came back: ${count(bounces, 'bounce')} (${percent(bounceRate)}, ${hardBounces} hard), ${count(complaints, 'complaint')} (${percent(complaintRate)})`,
  );
  if (complaintFlag === 'limit')
    print(
      `  Complaint rate ${percent(complaintRate)} reaches Gmail's and Yahoo's ${percent(complaintLimitRate)} limit: their filters will refuse or junk the next send. Find what made readers complain before sending again.`,
    );
  else if (complaintFlag === 'warning')
    print(`  Complaint rate ${percent(complaintRate)} passes the ${percent(complaintWarningRate)} that mail providers advise staying under.`);
}

export async function show(date: string, options: EditionShowOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  await withStores(config, async ({ editions, ledger, bounces }) => {
    const list = options.list ?? 'default';
    const edition = await editions.find(list, parseEditionKey(date));
    if (!edition) throw new PaperboyError('INPUT', `No edition of ${date} for ${list}; see paperboy editions list.`);
    const counts = await ledger.counts(edition.id);
    const groups = await ledger.failureGroups(edition.id);
    const relays = await ledger.relayCounts(edition.id); // empty through one transport: no relay section
    const failures = options.failures ? await ledger.failures(edition.id, failureListLimit) : undefined;
    const feedback = feedbackRates(await bounces.feedback(edition.id));
    const summary = {
      id: edition.id,
      list,
      day: edition.day,
      papers: edition.papers.length,
      createdAt: edition.createdAt,
      ...(edition.completedAt ? { completedAt: edition.completedAt } : {}),
      counts,
      ...(relays.length > 0 ? { relays } : {}),
    };
    if (options.json) {
      return printJson({
        ...summary,
        source: edition.source,
        templatesVersion: edition.templatesVersion,
        failureReasons: groups,
        feedback,
        ...(failures ? { failures } : {}),
        papers: edition.papers,
      });
    }
    print(
      `${edition.day} → ${list} (from ${edition.source}, templates ${edition.templatesVersion}, created ${edition.createdAt}${edition.completedAt ? `, completed ${edition.completedAt}` : ''})`,
    );
    const { sent, failed, skipped, retry, pending, sending } = summary.counts;
    print(`  ${sent} sent, ${failed} failed, ${skipped} skipped, ${retry} waiting to retry, ${pending + sending} not yet sent`);
    if (relays.length > 0) print(`  Per relay: ${relays.map((relay) => `${relay.relay} ${relay.sent} sent, ${relay.failed} failed`).join('; ')}`);
    printFeedback(feedback);
    printGroups(groups);
    if (failures?.length) {
      print('  Per reader:');
      for (const row of failures)
        print(
          `    ${row.email}  ${row.status}  ${row.kind}  after ${count(row.attempts, 'attempt')}${row.nextAttemptAt ? `, next at ${row.nextAttemptAt}` : ''}: ${row.reason}`,
        );
    }
    if (groups.some((group) => group.status === 'failed' && group.kind !== 'bounce')) {
      const configured = withoutPassword(config.transport).spec;
      const retry = sendCommand(global, {
        list,
        day: edition.day,
        retryFailed: true,
        ...(edition.source !== config.source ? { source: edition.source } : {}),
        ...(edition.transport && edition.transport !== configured ? { transport: edition.transport } : {}),
      });
      print(`  To send the failed ones again (bounces excepted): ${retry.command}${passwordNote(retry)}`);
    }
    print('  Papers:');
    for (const [index, paper] of edition.papers.entries()) print(`  ${index + 1}. ${paper.title} (▲ ${paper.upvotes}, ${paper.id})`);
  });
}

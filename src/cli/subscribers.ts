import { createReadStream, createWriteStream, fchmodSync, openSync, statSync } from 'node:fs';
import { type Config, refusePlaceholders } from '../config/index.js';
import { classifyFailure, openMailTransport } from '../delivery/index.js';
import { messageOf, PaperboyError } from '../errors.js';
import { signerFor } from '../stores/index.js';
import {
  checkEmail,
  checkName,
  defaultListName,
  eachSubscriber,
  exportCsv,
  type Frequency,
  type ImportSummary,
  importCsv,
  normalizeAlerts,
  parseFrequency,
  parseTopics,
  type Subscriber,
  type SubscriberStatus,
  type SubscriberStore,
  subscriberStatuses,
} from '../subscribers/index.js';
import { count } from '../words.js';
import { commandConfig, withSubscriberStore } from './context.js';
import type { GlobalOptions, JsonOptions } from './flags.js';
import { print, printJson } from './output.js';
import { progressBar, watched } from './progress.js';
import type { AddOptions, ExportOptions, ImportOptions, SubscriberListOptions, UnsubscribeOptions } from './register/index.js';

/** A file of addresses, readable by its owner only (0600, even when it already existed). */
function privateOutput(path: string): number {
  const fd = openSync(path, 'w', 0o600);
  fchmodSync(fd, 0o600);
  return fd;
}

const encodingNames = { 'utf-8': 'UTF-8', 'windows-1252': 'Windows-1252', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16' } as const;

/** The one line an import ends with. */
export function importSummaryLine(summary: ImportSummary): string {
  const prefix = summary.dryRun ? 'Dry run (nothing written): ' : '';
  const readAs = [
    ...(summary.delimiter === ',' ? [] : [`${summary.delimiter === ';' ? 'semicolon' : 'tab'}-separated`]),
    ...(summary.encoding === 'utf-8' ? [] : [`${encodingNames[summary.encoding]}, not UTF-8`]),
  ];
  const separator = readAs.length ? ` (read as ${readAs.join(', ')})` : '';
  return (
    `${prefix}${count(summary.rows, 'row')}${separator}: ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.invalid} invalid` +
    `${summary.keptSuppressed ? `, ${summary.keptSuppressed} kept unsubscribed/bounced` : ''}${summary.resubscribed ? `, ${summary.resubscribed} re-subscribed` : ''}.`
  );
}

/** Lines in a file (a row count for the progress bar, header included), read as a stream. */
async function lineCount(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>)
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
  return Math.max(1, lines);
}

function validEmail(raw: string): string {
  const checked = checkEmail(raw);
  if (!checked.ok) throw new PaperboyError('INPUT', `${JSON.stringify(raw)} is not a usable address: ${checked.reason}.`);
  return checked.value;
}

async function existing(store: SubscriberStore, raw: string): Promise<Subscriber> {
  const subscriber = await store.findByEmail(validEmail(raw));
  if (!subscriber) throw new PaperboyError('INPUT', `No subscriber ${raw}; see paperboy subscribers list.`);
  return subscriber;
}

export function parseStatus(value: string | undefined): SubscriberStatus | undefined {
  if (value === undefined) return undefined;
  if (!(subscriberStatuses as readonly string[]).includes(value)) {
    throw new PaperboyError('USAGE', `Unknown status "${value}"; use one of ${subscriberStatuses.join(', ')}.`);
  }
  return value as SubscriberStatus;
}

const describe = (s: Subscriber) =>
  `${s.email}  ${s.status}${s.demo ? ' (demo)' : ''}${s.name ? `  "${s.name}"` : ''}  lists: ${s.lists.join(', ') || '—'}${s.preferences.topics.length ? `  topics: ${s.preferences.topics.join(', ')}` : ''}` +
  `${s.preferences.frequency ? `  frequency: ${s.preferences.frequency}` : ''}${s.preferences.alerts ? `  alerts: ${s.preferences.alerts.map((alert) => `"${alert}"`).join(', ')}` : ''}`;

/** --frequency and --alert, checked. */
function rhythm(options: { frequency?: string; alert?: string[] }): { frequency?: Frequency; alerts?: string[] } {
  const frequency = options.frequency === undefined ? undefined : parseFrequency(options.frequency);
  const alerts = options.alert ? normalizeAlerts(options.alert) : undefined;
  return { ...(frequency ? { frequency } : {}), ...(alerts ? { alerts } : {}) };
}

/** An alerts-only reader needs a search to hear about: given now, or kept from before. */
async function refuseAlertsWithoutSearches(store: SubscriberStore, email: string, chosen: { frequency?: Frequency; alerts?: string[] }): Promise<void> {
  if (chosen.frequency !== 'alerts' || chosen.alerts?.length) return;
  if ((await store.findByEmail(email))?.preferences.alerts?.length) return;
  throw new PaperboyError('USAGE', '--frequency alerts needs at least one --alert "words to look for".');
}

export async function add(email: string, options: AddOptions, global: GlobalOptions) {
  const address = validEmail(email);
  const name = checkName(options.name);
  if (!name.ok) throw new PaperboyError('INPUT', `The name is not usable: ${name.reason}.`);
  const chosenRhythm = rhythm(options);
  if (options.sendConfirmation && options.confirmed)
    throw new PaperboyError('USAGE', '--send-confirmation is for people who still have to confirm; leave out --confirmed.');
  const config = commandConfig(global);
  if (options.sendConfirmation) refusePlaceholders(config);
  await withSubscriberStore(global, async (store) => {
    await refuseAlertsWithoutSearches(store, address, chosenRhythm);
    const [outcome] = await store.upsertMany(
      [
        {
          email: address,
          name: name.value,
          topics: parseTopics(options.topics?.join(',')),
          ...chosenRhythm,
          status: options.confirmed ? 'active' : 'pending',
          source: 'cli',
          lists: [options.list ?? defaultListName],
        },
      ],
      { resubscribe: options.resubscribe ?? false },
    );
    const subscriber = (await store.findByEmail(address))!;
    if (options.json) printJson({ outcome, subscriber });
    if (outcome === 'kept-suppressed') {
      throw new PaperboyError('INPUT', `${address} is ${subscriber.status}; add --resubscribe only if they asked to come back.`);
    }
    const mailed = options.sendConfirmation && subscriber.status === 'pending' ? await mailConfirmation(config, subscriber) : undefined;
    if (options.json) return;
    print(`${outcome === 'added' ? 'Added' : outcome === 'unchanged' ? 'Already there' : 'Updated'}: ${describe(subscriber)}`);
    if (mailed) print(`Mailed ${subscriber.email} a confirmation link through ${mailed}; they are active once they click it.`);
    else if (options.sendConfirmation) print(`No confirmation mailed: ${subscriber.email} is ${subscriber.status}.`);
    else if (subscriber.status === 'pending') print('They stay pending until they confirm: add --send-confirmation to mail them the link.');
  });
}

/** The double opt-in mail for someone added by hand, through the configured transport; returns its name. */
async function mailConfirmation(config: Readonly<Config>, subscriber: Subscriber): Promise<string> {
  const transport = await openMailTransport(config, { connectionsAtMost: 1 });
  try {
    const { sendConfirmation } = await import('../web/index.js'); // the web side loads only when a mail is asked for
    await sendConfirmation({ config, signer: signerFor(config), transport }, subscriber);
    return transport.name;
  } catch (error) {
    if (error instanceof PaperboyError) throw error;
    throw new PaperboyError(
      'TRANSPORT',
      `${subscriber.email} was added, but the confirmation mail was not sent: ${classifyFailure(error).reason}. Run the command again once the transport works.`,
    );
  } finally {
    await transport.close?.();
  }
}

export async function remove(email: string, options: JsonOptions, global: GlobalOptions) {
  await withSubscriberStore(global, async (store) => {
    const subscriber = await existing(store, email);
    await store.remove(subscriber.id);
    if (options.json) printJson({ removed: subscriber.email });
    else print(`Removed ${subscriber.email} and everything stored about them.`);
  });
}

export async function unsubscribe(email: string, options: UnsubscribeOptions, global: GlobalOptions) {
  await withSubscriberStore(global, async (store) => {
    const subscriber = await existing(store, email);
    await store.unsubscribe(subscriber.id, options.list);
    const after = (await store.findById(subscriber.id))!;
    if (options.json) printJson(after);
    else print(`Unsubscribed ${after.email}${options.list ? ` from ${options.list}` : ''}; the record is kept so no import re-adds them.`);
  });
}

export async function list(options: SubscriberListOptions, global: GlobalOptions) {
  const filter = { ...(options.list ? { list: options.list } : {}), ...(options.status ? { status: parseStatus(options.status)! } : {}) };
  await withSubscriberStore(global, async (store) => {
    if (options.list && !(await store.hasList(options.list))) throw new PaperboyError('INPUT', `There is no list named "${options.list}".`);
    let listed = 0;
    if (options.json) process.stdout.write('[');
    for await (const subscriber of eachSubscriber(store, filter)) {
      if (options.json) process.stdout.write(`${listed > 0 ? ',' : ''}\n${JSON.stringify(subscriber)}`);
      else print(describe(subscriber));
      listed++;
    }
    if (options.json) process.stdout.write(listed > 0 ? '\n]\n' : ']\n');
    else print(`${count(listed, 'subscriber')}.`);
  });
}

export async function show(email: string, options: JsonOptions, global: GlobalOptions) {
  await withSubscriberStore(global, async (store) => {
    const subscriber = await existing(store, email);
    if (options.json) return printJson(subscriber);
    print(describe(subscriber));
    print(`  source: ${subscriber.source}, created ${subscriber.createdAt}`);
    if (subscriber.confirmedAt) print(`  confirmed ${subscriber.confirmedAt}`);
    if (subscriber.unsubscribedAt) print(`  unsubscribed ${subscriber.unsubscribedAt}`);
    if (subscriber.lastSentAt) print(`  last sent ${subscriber.lastSentAt}`);
    if (subscriber.preferences.maxPapers) print(`  at most ${count(subscriber.preferences.maxPapers, 'paper')} per digest`);
  });
}

export async function importFile(file: string, options: ImportOptions, global: GlobalOptions) {
  const fromStdin = file === '-';
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(fromStdin ? '/dev/stdin' : file);
  } catch {
    throw new PaperboyError('INPUT', `No such file: ${file}.`);
  }
  if (stat.isDirectory()) throw new PaperboyError('INPUT', `${file} is a folder; give the CSV file in it (e.g. ${file.replace(/\/+$/, '')}/people.csv).`);
  let rejects: NodeJS.WritableStream | undefined;
  if (options.rejects) {
    try {
      rejects = createWriteStream('', { fd: privateOutput(options.rejects) });
    } catch (error) {
      throw new PaperboyError('INPUT', `Cannot write the rejects file ${options.rejects}: ${messageOf(error)}.`);
    }
  }
  await withSubscriberStore(global, async (store) => {
    // Sized by reading the file once before the import: only a regular file can be read twice (not a pipe, not /dev/stdin).
    const bar = options.json || fromStdin || !stat.isFile() || !watched() ? undefined : progressBar(await lineCount(file), 'rows');
    const summary = await importCsv(store, fromStdin ? process.stdin : createReadStream(file), {
      list: options.list ?? defaultListName,
      dryRun: options.dryRun ?? false,
      resubscribe: options.resubscribe ?? false,
      ...(rejects ? { rejects } : {}),
      ...(bar ? { onProgress: (rows: number) => bar.update(rows) } : {}),
    });
    bar?.stop();
    if (options.json) return printJson(summary);
    print(importSummaryLine(summary));
    if (summary.ignoredColumns.length) {
      print(
        `  Columns not read: ${summary.ignoredColumns.map((column) => JSON.stringify(column)).join(', ')} (paperboy reads email, name, first name, last name, topics, status, list, frequency, alerts).`,
      );
    }
    for (const row of summary.rejected.slice(0, 10)) print(`  line ${row.line}: ${row.reason}${row.email ? ` (${JSON.stringify(row.email)})` : ''}`);
    if (summary.invalid > 10) print(`  … ${summary.invalid - 10} more${options.rejects ? ` in ${options.rejects}` : '; pass --rejects FILE to get them all'}.`);
    else if (summary.invalid > 0 && options.rejects) print(`  Invalid rows written to ${options.rejects}.`);
  });
}

export async function exportFile(options: ExportOptions, global: GlobalOptions) {
  const filter = { ...(options.list ? { list: options.list } : {}), ...(options.status ? { status: parseStatus(options.status)! } : {}) };
  await withSubscriberStore(global, async (store) => {
    if (options.list && !(await store.hasList(options.list))) throw new PaperboyError('INPUT', `There is no list named "${options.list}".`);
    let output: NodeJS.WritableStream = process.stdout;
    if (options.out) {
      try {
        output = createWriteStream('', { fd: privateOutput(options.out) });
      } catch (error) {
        throw new PaperboyError('INPUT', `Cannot write ${options.out}: ${messageOf(error)}.`);
      }
    }
    const rows = await exportCsv(store, filter, output);
    if (options.out) print(`Exported ${count(rows, 'subscriber')} to ${options.out}.`);
  });
}

import type { Readable } from 'node:stream';
import { messageOf, PaperboyError } from '../errors.js';
import { checkEmail, checkName, parseTopics } from './address.js';
import { BatchWriter } from './csv-batches.js';
import type { CsvEncoding } from './csv-encoding.js';
import { neutralizeFormula } from './csv-formulas.js';
import type { CsvDelimiter } from './csv-lines.js';
import { type CsvRow, CsvRows } from './csv-rows.js';
import { isFrequency, normalizeAlerts } from './preferences.js';
import {
  type Frequency,
  frequencies,
  type SubscriberInput,
  type SubscriberStatus,
  type SubscriberStore,
  subscriberStatuses,
  type UpsertOutcome,
} from './types.js';

export interface ImportOptions {
  /** Lists every row joins when it names none. */
  list: string;
  dryRun?: boolean;
  /** Allow rows to re-activate people who unsubscribed, bounced or complained. */
  resubscribe?: boolean;
  /** Rows per transaction. */
  batchSize?: number;
  /** Where invalid rows go, with their line and reason (a CSV). */
  rejects?: NodeJS.WritableStream;
  /** Called now and then with the rows read so far. */
  onProgress?: (rowsRead: number) => void;
  /** The demo readers of example.csv, marked so real mail never reaches them. */
  demo?: boolean;
}

export interface RejectedRow {
  line: number;
  email: string;
  reason: string;
}

export interface ImportSummary {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  invalid: number;
  /** Rows for people who unsubscribed, bounced or complained, left as they were. */
  keptSuppressed: number;
  resubscribed: number;
  /** The first invalid rows (all of them go to the rejects file). */
  rejected: RejectedRow[];
  dryRun: boolean;
  /** The column separator the file turned out to use. */
  delimiter: CsvDelimiter;
  /** The text encoding the file turned out to be in. */
  encoding: CsvEncoding;
  /** Header columns paperboy does not know, left unread. */
  ignoredColumns: string[];
}

const shownRejects = 100;

function toInput(row: CsvRow, options: ImportOptions): SubscriberInput | string {
  const email = checkEmail(row.email ?? '');
  if (!email.ok) return email.reason;
  const name = checkName(row.name ?? ([row.firstName, row.lastName].filter((part) => part?.trim()).join(' ') || undefined));
  if (!name.ok) return name.reason;
  const statusText = (row.status ?? '').trim().toLowerCase();
  if (statusText && !(subscriberStatuses as readonly string[]).includes(statusText)) {
    return `status "${statusText}" is not one of ${subscriberStatuses.join(', ')}`;
  }
  const lists = (row.list ?? '')
    .split(/[;|]/)
    .map((list) => list.trim())
    .filter(Boolean);
  const frequencyText = (row.frequency ?? '').trim().toLowerCase();
  if (frequencyText && !isFrequency(frequencyText)) return `frequency "${frequencyText}" is not one of ${frequencies.join(', ')}`;
  let alerts: string[] | undefined;
  try {
    alerts = row.alerts?.trim() ? normalizeAlerts(row.alerts.split(/[;|]/)) : undefined;
  } catch (error) {
    return messageOf(error).replace(/\.$/, '');
  }
  if (frequencyText === 'alerts' && !alerts) return 'frequency "alerts" needs at least one alert in the alerts column';
  return {
    email: email.value,
    name: name.value,
    topics: parseTopics(row.topics),
    ...(frequencyText ? { frequency: frequencyText as Frequency } : {}),
    ...(alerts ? { alerts } : {}),
    status: (statusText || 'active') as SubscriberStatus,
    source: 'import',
    lists: lists.length > 0 ? lists : [options.list],
    ...(options.demo ? { demo: true } : {}),
  };
}

/**
 * Streams a CSV into the store: rows are validated one by one (line numbers kept), written in
 * transactions of `batchSize`, and merged with what is there. Good rows go in even when others
 * are bad; nobody who unsubscribed, bounced or complained is re-activated without `resubscribe`.
 */
export async function importCsv(store: SubscriberStore, input: Readable, options: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = {
    rows: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    invalid: 0,
    keptSuppressed: 0,
    resubscribed: 0,
    rejected: [],
    dryRun: options.dryRun ?? false,
    delimiter: ',',
    encoding: 'utf-8',
    ignoredColumns: [],
  };
  const rejects = await rejectsFile(options.rejects);
  const reject = (line: number, row: CsvRow, reason: string) => {
    summary.invalid++;
    if (summary.rejected.length < shownRejects) summary.rejected.push({ line, email: row.email ?? '', reason });
    rejects?.write([line, neutralizeFormula(row.email ?? ''), neutralizeFormula(row.name ?? ''), reason]);
  };
  const knownLists = new Map<string, boolean>();
  const listExists = async (name: string) => {
    if (!knownLists.has(name)) knownLists.set(name, await store.hasList(name));
    return knownLists.get(name)!;
  };
  if (!(await listExists(options.list))) {
    throw new PaperboyError('INPUT', `There is no list named "${options.list}"; create it with: paperboy lists create ${options.list}`);
  }
  const writer = new BatchWriter(store, {
    batchSize: options.batchSize ?? 2000,
    resubscribe: options.resubscribe ?? false,
    onOutcome: (outcome) => countOutcome(summary, outcome),
  });

  const run = async () => {
    const csv = await CsvRows.open(input);
    summary.delimiter = csv.delimiter;
    try {
      for await (const { line, row } of csv.rows()) {
        summary.rows++;
        // Let the database's answers in now and then: a parser chunk is thousands of rows of pure
        // JavaScript, and a batch being written waits on its round trips until the loop yields.
        if (summary.rows % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
        const result = toInput(row, options);
        const missing = typeof result === 'string' ? undefined : await firstMissing(result.lists, listExists);
        if (typeof result === 'string') reject(line, row, result);
        else if (missing) reject(line, row, `list "${missing}" does not exist`);
        else if (await writer.add(result)) options.onProgress?.(summary.rows);
      }
    } catch (error) {
      await writer.finish(); // the rows read before the fault are good: keep them
      if (error instanceof PaperboyError) throw error;
      throw new PaperboyError(
        'INPUT',
        `The CSV is malformed: ${messageOf(error)}; rows before it were imported. Fix the file and import it again (rows merge, nothing doubles).`,
      );
    } finally {
      summary.ignoredColumns = csv.ignoredColumns;
    }
    await writer.finish();
    summary.encoding = csv.encoding();
    const problem = csv.problem();
    if (problem) throw problem;
  };
  try {
    if (summary.dryRun) await store.rehearse(run);
    else await run();
  } finally {
    rejects?.end();
    await rejects?.done;
  }
  return summary;
}

function countOutcome(summary: ImportSummary, outcome: UpsertOutcome): void {
  if (outcome === 'added') summary.added++;
  else if (outcome === 'updated') summary.updated++;
  else if (outcome === 'unchanged') summary.unchanged++;
  else if (outcome === 'kept-suppressed') summary.keptSuppressed++;
  else summary.resubscribed++;
}

async function firstMissing(lists: readonly string[], exists: (name: string) => Promise<boolean>): Promise<string | undefined> {
  for (const list of lists) if (!(await exists(list))) return list;
  return undefined;
}

/** The rejects CSV (line, email, name, reason) streaming into `output`; `done` once it is all written. */
async function rejectsFile(output: NodeJS.WritableStream | undefined): Promise<{ write(row: unknown[]): void; end(): void; done: Promise<void> } | undefined> {
  if (!output) return undefined;
  const { stringify } = await import('csv-stringify'); // here: most commands never write a CSV
  const rejects = stringify({ header: true, columns: ['line', 'email', 'name', 'reason'] });
  const done = new Promise<void>((resolve, reject) => {
    rejects.pipe(output).on('finish', resolve).on('error', reject);
  });
  return { write: (row) => rejects.write(row), end: () => rejects.end(), done };
}

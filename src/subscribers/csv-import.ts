import type { Stringifier } from 'csv-stringify';
import { Readable } from 'node:stream';
import { PaperboyError, messageOf } from '../errors.js';
import { checkEmail, checkName, emailKey, parseTopics } from './address.js';
import { neutralizeFormula, restoreFormula } from './csv-formulas.js';
import { decodeCsv, type CsvEncoding } from './csv-encoding.js';
import { CrlfToLf, recordStartLine, sniffDelimiter, type CsvDelimiter } from './csv-lines.js';
import { isFrequency, normalizeAlerts } from './preferences.js';
import { frequencies, subscriberStatuses, type Frequency, type SubscriberInput, type SubscriberStatus, type SubscriberStore, type UpsertOutcome } from './types.js';

const knownColumns = ['email', 'name', 'topics', 'status', 'list', 'frequency', 'alerts'] as const;
/** Columns a header may name besides the known ones: a name in two parts, as Mailchimp and others export it. */
type Column = (typeof knownColumns)[number] | 'firstName' | 'lastName';
/** Header names, as compared: lower case, letters and digits only ("E-Mail Address" is "emailaddress"). */
const columnAliases: Record<string, Column> = {
  email: 'email', emailaddress: 'email', mail: 'email', mailaddress: 'email', address: 'email',
  name: 'name', fullname: 'name', displayname: 'name',
  firstname: 'firstName', givenname: 'firstName', lastname: 'lastName', surname: 'lastName', familyname: 'lastName',
  topics: 'topics', topic: 'topics', interests: 'topics',
  status: 'status',
  list: 'list', lists: 'list',
  frequency: 'frequency',
  alerts: 'alerts', alert: 'alerts',
};
const headerKey = (cell: string) => cell.trim().toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

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

/**
 * The header row's columns, or undefined when the first row is data (then: email, name, topics,
 * status, list, frequency, alerts). A first row without an address in it is a header; if none of
 * its columns is the email address, nothing can be read, and the import stops saying so.
 */
function headerColumns(cells: readonly string[]): { columns: (Column | undefined)[]; unknown: string[] } | undefined {
  const columns = cells.map((cell) => columnAliases[headerKey(cell)]);
  const unknown = cells.filter((cell, index) => !columns[index] && cell.trim() !== '').map((cell) => cell.trim());
  if (columns.includes('email')) return { columns, unknown };
  if (cells.some((cell) => cell.includes('@'))) return undefined;
  throw new PaperboyError(
    'INPUT',
    `The CSV's first row looks like a header, but none of its columns is the email address (${cells.map((cell) => JSON.stringify(cell.trim())).join(', ')}); nothing was imported. ` +
      `Name the columns ${knownColumns.join(', ')} (email is needed), or leave the header out to have them read in that order.`,
  );
}

function toInput(row: Partial<Record<Column, string>>, options: ImportOptions): SubscriberInput | string {
  const email = checkEmail(row.email ?? '');
  if (!email.ok) return email.reason;
  const name = checkName(row.name ?? ([row.firstName, row.lastName].filter((part) => part?.trim()).join(' ') || undefined));
  if (!name.ok) return name.reason;
  const statusText = (row.status ?? '').trim().toLowerCase();
  if (statusText && !(subscriberStatuses as readonly string[]).includes(statusText)) {
    return `status "${statusText}" is not one of ${subscriberStatuses.join(', ')}`;
  }
  const lists = (row.list ?? '').split(/[;|]/).map((list) => list.trim()).filter(Boolean);
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
  // Loaded here: most commands never read a CSV, and they start faster without it.
  const [{ parse }, { stringify }] = await Promise.all([import('csv-parse'), import('csv-stringify')]);
  const summary: ImportSummary = {
    rows: 0, added: 0, updated: 0, unchanged: 0, invalid: 0, keptSuppressed: 0, resubscribed: 0, rejected: [], dryRun: options.dryRun ?? false, delimiter: ',',
    encoding: 'utf-8', ignoredColumns: [],
  };
  const rejects: Stringifier | undefined = options.rejects ? stringify({ header: true, columns: ['line', 'email', 'name', 'reason'] }) : undefined;
  const rejectsDone = rejects && options.rejects ? new Promise<void>((resolve, reject) => {
    rejects.pipe(options.rejects!).on('finish', resolve).on('error', reject);
  }) : undefined;
  const reject = (line: number, row: Partial<Record<Column, string>>, reason: string) => {
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

  const count = (outcome: UpsertOutcome) => {
    if (outcome === 'added') summary.added++;
    else if (outcome === 'updated') summary.updated++;
    else if (outcome === 'unchanged') summary.unchanged++;
    else if (outcome === 'kept-suppressed') summary.keptSuppressed++;
    else summary.resubscribed++;
  };
  const batchSize = options.batchSize ?? 2000;
  let batch: SubscriberInput[] = [];
  // Batches are written while the next are read (two at a time): with a server database the
  // parsing, the round trips and the server's work overlap. A batch that names someone a batch
  // still being written names too waits for it, so rows for one address still merge in file order.
  const writesInFlight = 3;
  let writing: { done: Promise<void>; keys: Set<string> }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const keys = new Set(rows.map((row) => emailKey(row.email)));
    while (writing.length >= writesInFlight || writing.some((write) => [...keys].some((key) => write.keys.has(key)))) {
      await writing[0]!.done;
      writing.shift();
    }
    const done = store.upsertMany(rows, { resubscribe: options.resubscribe ?? false }).then((outcomes) => outcomes.forEach(count));
    done.catch(() => undefined); // handled where it is awaited, by a later batch or at the end
    writing.push({ done, keys });
  };
  const finish = async () => {
    await flush();
    for (const write of writing) await write.done;
    writing = [];
  };

  const run = async () => {
    let sniffed: Awaited<ReturnType<typeof sniffDelimiter>>;
    const decoded = decodeCsv(input);
    try {
      sniffed = await sniffDelimiter(decoded.output);
    } catch (error) {
      if (error instanceof PaperboyError) throw error;
      throw new PaperboyError('INPUT', `The CSV cannot be read: ${messageOf(error)}.`);
    }
    summary.delimiter = sniffed.delimiter;
    const source = Readable.from(sniffed.input);
    // autoDestroy off: a parse error must not discard the records parsed before it (for await reads them first).
    const streamOptions = { autoDestroy: false }; // a stream option csv-parse passes on but does not declare
    const parser = source.pipe(new CrlfToLf()).pipe(
      parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, delimiter: sniffed.delimiter, ...streamOptions }),
    );
    source.on('error', (error) => parser.destroy(error)); // pipe() does not forward a read error: it would hang
    let columns: (Column | undefined)[] | undefined;
    let first = true;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
        const line = recordStartLine(info.lines, record);
        if (first) {
          first = false;
          const header = headerColumns(record);
          if (header) {
            columns = header.columns;
            summary.ignoredColumns = header.unknown;
            continue;
          }
          columns = [...knownColumns];
        }
        summary.rows++;
        // Let the database's answers in now and then: a parser chunk is thousands of rows of pure
        // JavaScript, and a batch being written waits on its round trips until the loop yields.
        if (summary.rows % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
        const row: Partial<Record<Column, string>> = {};
        columns!.forEach((column, index) => {
          if (column && record[index] !== undefined) row[column] = restoreFormula(record[index]);
        });
        const result = toInput(row, options);
        if (typeof result === 'string') {
          reject(line, row, result);
        } else {
          const missing = [];
          for (const list of result.lists) if (!(await listExists(list))) missing.push(list);
          if (missing.length > 0) reject(line, row, `list "${missing[0]}" does not exist`);
          else batch.push(result);
        }
        if (batch.length >= batchSize) {
          await flush();
          options.onProgress?.(summary.rows);
        }
      }
    } catch (error) {
      await finish(); // the rows read before the fault are good: keep them
      if (error instanceof PaperboyError) throw error;
      throw new PaperboyError('INPUT', `The CSV is malformed: ${messageOf(error)}; rows before it were imported. Fix the file and import it again (rows merge, nothing doubles).`);
    }
    await finish();
    summary.encoding = decoded.encoding();
    const problem = decoded.problem();
    if (problem) throw problem;
  };
  try {
    if (summary.dryRun) await store.rehearse(run);
    else await run();
  } finally {
    rejects?.end();
    await rejectsDone;
  }
  return summary;
}

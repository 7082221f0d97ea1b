import { Readable } from 'node:stream';
import { messageOf, PaperboyError } from '../errors.js';
import { type CsvEncoding, decodeCsv } from './csv-encoding.js';
import { restoreFormula } from './csv-formulas.js';
import { CrlfToLf, type CsvDelimiter, recordStartLine, sniffDelimiter } from './csv-lines.js';

export const knownColumns = ['email', 'name', 'topics', 'status', 'list', 'frequency', 'alerts'] as const;
/** Columns a header may name besides the known ones: a name in two parts, as Mailchimp and others export it. */
export type Column = (typeof knownColumns)[number] | 'firstName' | 'lastName';
/** Header names, as compared: lower case, letters and digits only ("E-Mail Address" is "emailaddress"). */
const columnAliases: Record<string, Column> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  mailaddress: 'email',
  address: 'email',
  name: 'name',
  fullname: 'name',
  displayname: 'name',
  firstname: 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  topics: 'topics',
  topic: 'topics',
  interests: 'topics',
  status: 'status',
  list: 'list',
  lists: 'list',
  frequency: 'frequency',
  alerts: 'alerts',
  alert: 'alerts',
};
const headerKey = (cell: string) =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/** One data row of the file, by the column each cell is in. */
export type CsvRow = Partial<Record<Column, string>>;

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

/**
 * A subscriber CSV read as rows: decoded (csv-encoding.ts), its delimiter sniffed, CRLF or LF, a
 * header read when it has one (and which of its columns are unknown), formulas restored.
 */
export class CsvRows {
  /** Header columns paperboy does not know, left unread (known once the first row is read). */
  ignoredColumns: string[] = [];

  private constructor(
    private readonly parser: AsyncIterable<{ record: string[]; info: { lines: number } }>,
    readonly delimiter: CsvDelimiter,
    private readonly decoded: ReturnType<typeof decodeCsv>,
  ) {}

  static async open(input: Readable): Promise<CsvRows> {
    // Loaded here: most commands never read a CSV, and they start faster without it.
    const { parse } = await import('csv-parse');
    const decoded = decodeCsv(input);
    let sniffed: Awaited<ReturnType<typeof sniffDelimiter>>;
    try {
      sniffed = await sniffDelimiter(decoded.output);
    } catch (error) {
      if (error instanceof PaperboyError) throw error;
      throw new PaperboyError('INPUT', `The CSV cannot be read: ${messageOf(error)}.`);
    }
    const source = Readable.from(sniffed.input);
    // autoDestroy off: a parse error must not discard the records parsed before it (for await reads them first).
    const streamOptions = { autoDestroy: false }; // a stream option csv-parse passes on but does not declare
    const parser = source
      .pipe(new CrlfToLf())
      .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, delimiter: sniffed.delimiter, ...streamOptions }));
    source.on('error', (error) => parser.destroy(error)); // pipe() does not forward a read error: it would hang
    return new CsvRows(parser, sniffed.delimiter, decoded);
  }

  /** The data rows with the line each starts on; a malformed file throws after the rows before the fault. */
  async *rows(): AsyncGenerator<{ line: number; row: CsvRow }> {
    let columns: (Column | undefined)[] | undefined;
    for await (const { record, info } of this.parser) {
      const line = recordStartLine(info.lines, record);
      if (!columns) {
        const header = headerColumns(record);
        columns = header?.columns ?? [...knownColumns];
        if (header) {
          this.ignoredColumns = header.unknown;
          continue;
        }
      }
      const row: CsvRow = {};
      columns.forEach((column, index) => {
        if (column && record[index] !== undefined) row[column] = restoreFormula(record[index]);
      });
      yield { line, row };
    }
  }

  /** The text encoding the file turned out to be in (known once every row is read). */
  encoding(): CsvEncoding {
    return this.decoded.encoding();
  }

  /** What stopped the decoding early (mixed encodings, binary), once every row is read. */
  problem(): PaperboyError | undefined {
    return this.decoded.problem();
  }
}

import { Transform, type TransformCallback } from 'node:stream';

/**
 * Turns CRLF into LF before the CSV parser sees it. csv-parse counts a CRLF inside a quoted
 * field as two lines, which would put every later row's line number off by one in the import
 * report; with LF only, its count is exact. A lone CR (never a line end in a CSV we accept)
 * is kept, so a CR inside an address is still caught as a line break.
 */
export class CrlfToLf extends Transform {
  private pendingCr = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let text = chunk.toString('latin1');
    if (this.pendingCr) text = `\r${text}`;
    this.pendingCr = text.endsWith('\r');
    if (this.pendingCr) text = text.slice(0, -1);
    // latin1 round-trips bytes exactly, so UTF-8 sequences split across chunks survive.
    callback(null, Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1'));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.pendingCr ? Buffer.from('\r', 'latin1') : null);
  }
}

/** The line a record starts on, from csv-parse's end line and the line breaks inside its fields. */
export function recordStartLine(endLine: number, cells: readonly string[]): number {
  let inner = 0;
  for (const cell of cells) for (const ch of cell) if (ch === '\n') inner++;
  return endLine - inner;
}

export type CsvDelimiter = ',' | ';' | '\t';

/** Counts a separator in a line, outside double-quoted fields. */
function countOutsideQuotes(line: string, separator: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) count++;
  }
  return count;
}

/**
 * Which separator the file uses, from its first line: a comma unless the line has none and has
 * semicolons (how spreadsheets in many locales save "CSV") or tabs. Returns the input again,
 * with the bytes read to decide put back in front.
 */
export async function sniffDelimiter(input: AsyncIterable<Buffer | string>): Promise<{ delimiter: CsvDelimiter; input: AsyncIterable<Buffer> }> {
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (!ended && size < 64 * 1024 && !head.some((chunk) => chunk.includes(10))) {
    const next = await iterator.next();
    if (next.done) ended = true;
    else {
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      head.push(chunk);
      size += chunk.length;
    }
  }
  const firstLine = Buffer.concat(head).toString('utf8').split('\n')[0] ?? '';
  const commas = countOutsideQuotes(firstLine, ',');
  const delimiter: CsvDelimiter = commas > 0 ? ',' : countOutsideQuotes(firstLine, ';') > 0 ? ';' : countOutsideQuotes(firstLine, '\t') > 0 ? '\t' : ',';
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
  }
  return { delimiter, input: replay() };
}

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

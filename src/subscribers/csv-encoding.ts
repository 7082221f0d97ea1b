import { TextDecoder } from 'node:util';
import { PaperboyError } from '../errors.js';

/** The text encodings a CSV is read in: what spreadsheets write when asked for "CSV". */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

const saveAsUtf8 = 'save it as UTF-8 (in Excel: Save As → "CSV UTF-8 (Comma delimited)"; in LibreOffice: Character set "Unicode (UTF-8)") and import it again';

function firstNonAscii(bytes: Buffer): number {
  for (let index = 0; index < bytes.length; index++) if (bytes[index]! >= 0x80) return index;
  return -1;
}

function lineBreaks(bytes: Buffer): number {
  let count = 0;
  for (let index = bytes.indexOf(10); index !== -1; index = bytes.indexOf(10, index + 1)) count++;
  return count;
}

/** Whether these bytes (a first non-ASCII stretch and what follows) read as UTF-8. */
function readsAsUtf8(bytes: Buffer, decoder: TextDecoder, final: boolean): boolean {
  try {
    decoder.decode(bytes, { stream: !final });
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns a CSV into UTF-8, whatever a spreadsheet saved it in. UTF-8 (with or without its BOM)
 * passes through; UTF-16 (Excel's "Unicode text") is told by its BOM; a file whose first
 * non-ASCII bytes are not UTF-8 is Windows-1252, what Excel on Windows writes as "CSV" (Latin-1
 * letters are the same bytes in it). Everything before the first non-ASCII byte reads alike in
 * all of these, so the choice waits until then, however far into the file that is. At a line
 * that breaks the encoding the file started in, or holds NUL bytes (not text), the output ends:
 * `problem()` then says what stopped it and how to save the file, for after the lines before it.
 * The decoding is iconv-lite's: Node's TextDecoder takes "windows-1252" for Latin-1, which would
 * turn the € and the curly quote of O’Brien into control characters.
 */
export function decodeCsv(input: AsyncIterable<Buffer | string>): {
  output: AsyncIterable<Buffer>;
  encoding: () => CsvEncoding;
  problem: () => PaperboyError | undefined;
} {
  let encoding: CsvEncoding | undefined;
  let problem: PaperboyError | undefined;
  async function* decode(): AsyncGenerator<Buffer> {
    const iconv = await import('iconv-lite'); // here: most commands never read a CSV
    let decoder: ReturnType<typeof iconv.getDecoder> | undefined;
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    let held: Buffer = Buffer.alloc(0); // bytes kept until they can be judged: a BOM, or a sequence cut by the chunk's end
    let lines = 0; // line breaks passed on so far, to say where a problem is
    let atStart = true; // nothing passed on yet: a byte-order mark may come

    const judge = (bytes: Buffer, final: boolean): Buffer | undefined => {
      if (atStart && encoding === undefined) {
        if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
        else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
        if (encoding) {
          decoder = iconv.getDecoder(encoding);
          bytes = bytes.subarray(2);
        }
      }
      if (decoder) return Buffer.from(decoder.write(bytes), 'utf8');
      const nul = bytes.indexOf(0);
      if (nul !== -1) {
        problem = new PaperboyError(
          'INPUT',
          `The CSV holds NUL bytes on line ${lines + lineBreaks(bytes.subarray(0, nul)) + 1}: it is not a plain-text CSV (UTF-16 without its byte-order mark, or a spreadsheet file); ${saveAsUtf8}.`,
        );
        return bytes.subarray(0, bytes.lastIndexOf(10, nul) + 1);
      }
      if (encoding === undefined) {
        const at = firstNonAscii(bytes);
        if (at === -1) return bytes;
        // The first non-ASCII character decides: one UTF-8 sequence (its lead byte says how long), or not.
        const lead = bytes[at]!;
        const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        if (!final && bytes.length - at < length) return undefined; // it goes on in the next chunk
        if (readsAsUtf8(bytes.subarray(at, at + length), new TextDecoder('utf-8', { fatal: true }), true)) {
          encoding = 'utf-8';
        } else {
          encoding = 'windows-1252';
          decoder = iconv.getDecoder(encoding);
          return Buffer.from(decoder.write(bytes), 'utf8');
        }
      }
      if (readsAsUtf8(bytes, utf8, final)) return bytes;
      // The lines before the bad one still go in; then the import stops, saying where.
      const text = new TextDecoder('utf-8').decode(bytes);
      const bad = Buffer.byteLength(text.slice(0, text.indexOf('\uFFFD')));
      problem = new PaperboyError(
        'INPUT',
        `The CSV is UTF-8 up to line ${lines + lineBreaks(bytes.subarray(0, bad)) + 1}, which is not: the file mixes encodings; the rows before it were read. Fix that line, or ${saveAsUtf8}.`,
      );
      return bytes.subarray(0, bytes.lastIndexOf(10, bad) + 1);
    };

    for await (const piece of input) {
      const chunk: Buffer = typeof piece === 'string' ? Buffer.from(piece) : piece;
      const bytes = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const out = atStart && bytes.length < 2 ? undefined : judge(bytes, false);
      held = out === undefined ? bytes : Buffer.alloc(0);
      if (out) {
        atStart = false;
        lines += lineBreaks(out);
        yield out;
      }
      if (problem) return; // the lines before it are passed on; the import says what stopped it
    }
    if (held.length > 0) yield judge(held, true)!;
    if (problem) return;
    const rest = decoder?.end();
    if (rest) yield Buffer.from(rest, 'utf8');
  }
  return { output: decode(), encoding: () => encoding ?? 'utf-8', problem: () => problem };
}

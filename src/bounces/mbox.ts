/**
 * mbox files (RFC 4155): messages one after another, each starting with a "From " postmark line
 * that follows a blank line (or opens the file). Read as mboxrd: a body line that began with
 * "From " was written as ">From " (and ">From " as ">>From "), so one ">" comes off again.
 * Streams: one message is held in memory at a time.
 */
export interface MboxMessage {
  /** 1-based position in the file, for messages such as "message 12 could not be read". */
  number: number;
  /** The postmark line, e.g. `From MAILER-DAEMON Thu Apr 29 23:34:45 2021`. */
  postmark: string;
  raw: Buffer;
}

const LF = 10;
const CR = 13;
const GT = 62;
const fromSpace = Buffer.from('From ');

const startsWithFrom = (data: Buffer, at: number) => at + 5 <= data.length && data.compare(fromSpace, 0, 5, at, at + 5) === 0;

/** ">From ", ">>From "…: a body line with one level of quoting to take off. */
function isQuotedFrom(data: Buffer, at: number): boolean {
  let i = at;
  while (data[i] === GT) i++;
  return i > at && startsWithFrom(data, i);
}

/** Joins a message's pieces, without the blank line that separates it from the next postmark. */
function joined(pieces: Buffer[]): Buffer {
  const raw = Buffer.concat(pieces);
  const n = raw.length;
  if (n >= 4 && raw[n - 1] === LF && raw[n - 2] === CR && raw[n - 3] === LF && raw[n - 4] === CR) return raw.subarray(0, n - 2);
  if (n >= 2 && raw[n - 1] === LF && raw[n - 2] === LF) return raw.subarray(0, n - 1);
  return raw;
}

export async function* readMbox(input: AsyncIterable<Buffer | string>): AsyncGenerator<MboxMessage> {
  let pieces: Buffer[] = [];
  let postmark: string | undefined;
  let number = 0;
  let previousBlank = true;
  let partial = Buffer.alloc(0);

  for await (const chunk of input) {
    const data = partial.length > 0 ? Buffer.concat([partial, Buffer.from(chunk)]) : Buffer.from(chunk);
    const done: MboxMessage[] = [];
    // Scans line by line but copies only at message ends and ">From " lines: pieces are views.
    let piece = 0;
    let line = 0;
    for (let end = data.indexOf(LF, line); end !== -1; end = data.indexOf(LF, line)) {
      if (previousBlank && startsWithFrom(data, line)) {
        if (postmark !== undefined) done.push({ number: ++number, postmark, raw: joined([...pieces, data.subarray(piece, line)]) });
        pieces = [];
        postmark = data.toString('latin1', line, end).replace(/\r$/, '');
        piece = end + 1;
      } else if (data[line] === GT && isQuotedFrom(data, line)) {
        pieces.push(data.subarray(piece, line));
        piece = line + 1;
      }
      previousBlank = end === line || (end === line + 1 && data[line] === CR);
      line = end + 1;
    }
    if (postmark !== undefined) pieces.push(data.subarray(piece, line));
    // Copied, so a large chunk is not kept alive by a short tail.
    partial = Buffer.from(data.subarray(line));
    yield* done;
  }
  if (postmark !== undefined) yield { number: ++number, postmark, raw: joined([...pieces, partial]) };
}

/** The postmark's date, in C's asctime() form: `Thu Apr 29 23:34:45 2021` (UTC). */
function asctime(date: Date): string {
  const [weekday, day, month, year, time] = date.toUTCString().replace(',', '').split(' ') as string[];
  return `${weekday} ${month} ${String(Number(day)).padStart(2, ' ')} ${time} ${year}`;
}

/** One message as an mboxrd entry: postmark, body lines that start with (>)*"From " quoted, blank line. */
export function mboxEntry(raw: Buffer | string, sender = 'MAILER-DAEMON', date = new Date(0)): string {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  const body = text.replace(/^(>*From )/gm, '>$1');
  return `From ${sender} ${asctime(date)}\n${body}${body.endsWith('\n') ? '' : '\n'}\n`;
}

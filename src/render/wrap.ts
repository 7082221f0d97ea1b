/** Plain-text mail is read in 80-column terminals and quoted with "> ": prose wraps at 76. */
export const textWidth = 76;

/**
 * Wraps one paragraph for the plain-text part. The template writes the first line's indent
 * itself; continuation lines get `indent` spaces. A word longer than a line (a URL) keeps a line
 * of its own rather than being cut.
 */
export function wrapText(text: string, indent = 0, newline = '\n', width = textWidth): string {
  if (text.length + indent <= width) return text;
  const room = width - indent;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join(`${newline}${' '.repeat(indent)}`);
}

import {
  accents,
  declarations,
  droppedCommands,
  letterCommands,
  passThroughCommands,
  secondArgumentCommands,
  subscripts,
  superscripts,
  symbols,
} from './latex-tables.js';

/**
 * `math` is the inside of $…$ or \(…\): `^` and `_` are scripts, braces only group, `~` is a
 * space. `text` is the rest of a title or abstract, where braces, `~`, `^` and `_` can be prose.
 */
export type TexMode = 'math' | 'text';

/** What one step of the conversion read: its plain text, and where the source goes on. */
interface Converted {
  text: string;
  end: number;
}

const commandName = /[A-Za-z]+|[\s\S]/y;
const whiteSpace = /\s*/y;

function skipSpaces(source: string, pos: number): number {
  if (pos >= source.length) return pos; // past the end a sticky regex fails and rewinds to 0
  whiteSpace.lastIndex = pos;
  whiteSpace.exec(source);
  return whiteSpace.lastIndex;
}

/** Reads one argument at `pos` (spaces before it skipped, as TeX does): a {group}, a \command or a character. */
function readArgument(source: string, pos: number): Converted {
  pos = skipSpaces(source, pos);
  if (source[pos] === '{') {
    let depth = 1;
    let end = pos + 1;
    while (end < source.length && depth > 0) {
      if (source[end] === '\\') end++;
      else if (source[end] === '{') depth++;
      else if (source[end] === '}') depth--;
      end++;
    }
    end = Math.min(end, source.length);
    return { text: source.slice(pos + 1, depth === 0 ? end - 1 : end), end }; // an unclosed group runs to the end
  }
  if (source[pos] === '\\') {
    commandName.lastIndex = pos + 1;
    const name = commandName.exec(source)?.[0] ?? '';
    return { text: `\\${name}`, end: pos + 1 + name.length };
  }
  return { text: source[pos] ?? '', end: pos + 1 };
}

/** `plain` in Unicode superscripts or subscripts, when every character has one. */
function inScript(plain: string, table: Record<string, string>): string | undefined {
  const mapped = [...plain].map((ch) => table[ch]);
  return mapped.every((ch) => ch !== undefined) ? mapped.join('') : undefined;
}

/** A math script in Unicode when every character has a form, else kept readable as ^x or ^(…). */
export function scriptOf(text: string, table: Record<string, string>, marker: string): string {
  const plain = convertTex(text, 'math');
  return inScript(plain, table) ?? (plain.length === 1 ? `${marker}${plain}` : `${marker}(${plain})`);
}

/** \textsuperscript and \textsubscript: in Unicode when every character has a form, else plain text (4th). */
function textScript(source: string, pos: number, table: Record<string, string>): Converted {
  const argument = readArgument(source, pos);
  const plain = convertTex(argument.text, 'text');
  return { text: inScript(plain, table) ?? plain, end: argument.end };
}

/** `\'e`, `\'{e}`, `\c c`, `\"{\i}`: the letter and the accent's combining mark, composed by NFC. */
function convertAccent(source: string, pos: number, accent: { mark: string; alone: string }, mode: TexMode): Converted {
  const argument = readArgument(source, pos);
  // TeX puts accents on the dotless \i and \j; Unicode composes them with i and j
  const base = convertTex(argument.text.replace(/\\([ij])(?![A-Za-z])/g, '$1'), mode);
  const [first, ...rest] = [...base];
  if (first === undefined) return { text: accent.alone, end: argument.end };
  return { text: `${first}${accent.mark}${rest.join('')}`.normalize('NFC'), end: argument.end };
}

/**
 * A command we do not know: its {arguments} are kept and its name dropped. Without one (or with
 * only `{}`, as `\ourmethod{} is` is written), the name is all there is to read: \log → log.
 */
function convertUnknown(source: string, name: string, pos: number, mode: TexMode): Converted {
  let text = '';
  let end = pos;
  for (let next = skipSpaces(source, end); /^[A-Za-z]/.test(name) && source[next] === '{'; next = skipSpaces(source, end)) {
    const argument = readArgument(source, next);
    text += convertTex(argument.text, mode);
    end = argument.end;
  }
  return { text: text || name, end };
}

/** Converts the command whose backslash is at `start`. */
function convertCommand(source: string, start: number, mode: TexMode): Converted {
  commandName.lastIndex = start + 1;
  const name = commandName.exec(source)?.[0];
  if (name === undefined) return { text: '\\', end: start + 1 };
  const pos = start + 1 + name.length;
  // The feed removes the dollar of an escaped \$ before a number ("prices (\22K vs. 600K)"): put it back.
  if (/^\d$/.test(name)) return { text: mode === 'text' ? '$' : '', end: start + 1 };
  const accent = accents[name];
  // \c c and \v{s} are accents; \t1 or \r\n is text that had its own idea of a backslash
  const accented = accent && (!/^[A-Za-z]$/.test(name) || /^(?:[A-Za-z{]|\\[ij](?![A-Za-z]))/.test(source.slice(skipSpaces(source, pos))));
  if (accented) return convertAccent(source, pos, accent, mode);
  if (name === 'frac') {
    const numerator = readArgument(source, pos);
    const denominator = readArgument(source, numerator.end);
    return { text: `${convertTex(numerator.text, 'math')}/${convertTex(denominator.text, 'math')}`, end: denominator.end };
  }
  if (name === 'url') {
    const address = readArgument(source, pos); // verbatim: a URL's _, % and ~ are its own
    return { text: address.text.trim(), end: address.end };
  }
  if (name === 'textsuperscript') return textScript(source, pos, superscripts);
  if (name === 'textsubscript') return textScript(source, pos, subscripts);
  if (passThroughCommands.has(name) || secondArgumentCommands.has(name) || droppedCommands.has(name)) {
    const first = readArgument(source, pos);
    const argument = secondArgumentCommands.has(name) ? readArgument(source, first.end) : first;
    return { text: droppedCommands.has(name) ? '' : convertTex(argument.text, mode), end: argument.end };
  }
  if (declarations.has(name)) return { text: '', end: skipSpaces(source, pos) };
  const symbol = symbols[name];
  if (symbol !== undefined) return { text: symbol, end: letterCommands.has(name) ? skipSpaces(source, pos) : pos };
  return convertUnknown(source, name, pos, mode);
}

function convertMathCharacter(source: string, pos: number): Converted {
  const ch = source[pos]!;
  if (ch === '^' || ch === '_') {
    const argument = readArgument(source, pos + 1);
    const text = ch === '^' ? scriptOf(argument.text, superscripts, '^') : scriptOf(argument.text, subscripts, '_');
    return { text, end: argument.end };
  }
  if (ch === '{' || ch === '}') return { text: '', end: pos + 1 };
  return { text: ch === '~' ? ' ' : ch, end: pos + 1 };
}

/** Converts TeX in `mode`; whatever is not TeX is kept as it is. */
export function convertTex(source: string, mode: TexMode): string {
  let out = '';
  let pos = 0;
  let afterCommand = false;
  while (pos < source.length) {
    const ch = source[pos]!;
    // In text, braces are prose unless they group TeX: {\em X}, {\'e}, \LaTeX{}, \sqrt{2}.
    const texGroup = mode === 'text' && ch === '{' && (afterCommand || source[pos + 1] === '\\' || source[pos + 1] === '}');
    let step: Converted;
    if (ch === '\\') step = convertCommand(source, pos, mode);
    else if (texGroup) {
      const group = readArgument(source, pos);
      step = { text: convertTex(group.text, 'text'), end: group.end };
    } else if (mode === 'math') step = convertMathCharacter(source, pos);
    // a tie before a command is TeX's unbreakable space (Fig.~\ref); elsewhere ~ is prose (~50%)
    else step = { text: ch === '~' && source[pos + 1] === '\\' ? ' ' : ch, end: pos + 1 };
    afterCommand = ch === '\\';
    out += step.text;
    pos = step.end;
  }
  return out;
}

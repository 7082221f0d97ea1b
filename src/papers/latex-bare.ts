import { scriptOf } from './latex-commands.js';
import { subscripts, superscripts, symbols } from './latex-tables.js';

// TeX that lost its $…$ (the feed strips them, or the author never typed them). Converted only
// where it cannot be anything else: a caret never appears in identifiers, an underscore does, so
// `_` needs a single-letter word before it (L_2, N_0) and digits that end the word (x_4o stays).
/** The Greek letters of the table, by name. */
const greekNames = Object.keys(symbols).filter((name) => /^[\u0370-\u03ff]$/.test(symbols[name]!));
/** Command names that read as math when a script follows them: nabla^2, sum_{i=1}, theta_0. */
const bareCommands = [...greekNames, 'nabla', 'partial', 'sum', 'prod', 'infty', 'ell'];
/** Command names that are a script by themselves: 360^{circ}, f^prime. */
const bareScriptNames = ['circ', 'prime', 'dagger'];

const group = String.raw`\{(?:[^{}]|\{[^{}]*\})*\}`;
// ^2, ^{…}, ^circ or ^\circ; a digit run before ".5" stays (n^2.5: there is no superscript dot)
const superscript = String.raw`\^(?:\d+(?!\.?\d)|${group}|\\?(?:${bareScriptNames.join('|')})(?!\p{L}))`;
const subscript = String.raw`_(?:\d+(?![\p{L}\p{N}_]|\.\w)|${group})`;
const script = `(?:${superscript}|${subscript})`;
const wordStart = String.raw`(?<![\p{L}\p{N}_.\\])`;
/**
 * `$\times$` whose dollars and backslash the feed removed: "LLMtimesMapReduce", "1.06times the
 * latency". Only after a capital or a digit and before anything but a small letter, which no
 * English word does ("sometimes", "runtimes" and "Times" stay).
 */
const lostTimes = String.raw`(?<=[\p{Lu}\p{N}])(?<times>times)(?!\p{Ll})`;
const bareTex = new RegExp(
  [
    String.raw`${wordStart}\\?(?<name>${bareCommands.join('|')})(?<nameScripts>${script}+)`,
    String.raw`${wordStart}(?<letter>\p{L})(?<letterScripts>${subscript}${script}*)`,
    String.raw`(?<=[\p{L}\p{N})])(?<scripts>${superscript}${script}*)`,
    lostTimes,
  ].join('|'),
  'gu',
);
const bareName = new RegExp(String.raw`(?<![\\\p{L}])(?:${[...bareCommands, ...bareScriptNames].join('|')})(?!\p{L})`, 'gu');
const oneScript = /([\^_])\\?(\{(?:[^{}]|\{[^{}]*\})*\}|[A-Za-z]+|\d+)/g;

/** Where bare scripts are text: URLs, e-mail addresses, paths and file names (repo_1/x_2.py). */
const protectedText = new RegExp(
  [
    String.raw`\b[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+`,
    String.raw`\bwww\.\S+`,
    String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`,
    String.raw`(?<![^\s(\["'])[\w.~-]+(?:\/[\w.~-]+)+\/?`,
    String.raw`(?<![^\s(\["'])[\w-]*\w\.[A-Za-z][A-Za-z0-9]{0,5}(?!\w)`,
  ].join('|'),
  'gu',
);

function convertScripts(scripts: string): string {
  return [...scripts.matchAll(oneScript)]
    .map(([, marker, argument]) => {
      const text = argument!.startsWith('{') ? argument!.slice(1, -1) : argument!;
      const math = text.replace(bareName, '\\$&');
      return marker === '^' ? scriptOf(math, superscripts, '^') : scriptOf(math, subscripts, '_');
    })
    .join('');
}

interface BareTex {
  name?: string;
  nameScripts?: string;
  letter?: string;
  letterScripts?: string;
  scripts?: string;
  times?: string;
}

/** Converts bare superscripts, subscripts and lost `\times` in text outside $…$. */
export function convertBareTex(text: string): string {
  if (!/[\^_]|times/.test(text)) return text;
  const kept = [...text.matchAll(protectedText)].map((m) => [m.index, m.index + m[0].length] as const);
  const isKept = (start: number, end: number) => kept.some(([from, to]) => start < to && end > from);
  return text.replace(bareTex, (match: string, ...rest: unknown[]) => {
    const offset = rest.at(-3) as number;
    const found = rest.at(-1) as BareTex;
    if (isKept(offset, offset + match.length)) return match;
    if (found.name) return symbols[found.name]! + convertScripts(found.nameScripts!);
    if (found.letter) return found.letter + convertScripts(found.letterScripts!);
    if (found.times) return symbols.times!;
    return convertScripts(found.scripts!);
  });
}

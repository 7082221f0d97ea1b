import { type Command, InvalidArgumentError, Option } from 'commander';

/** Commander argument parser for whole numbers ≥ min. */
export function wholeNumber(min = 1) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}.`);
    return Number(value);
  };
}

export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  databaseUrl?: string;
  environmentFile?: string;
}

/** The global options, as given before the command (read when a command runs). */
export const globalsOf = (program: Command): GlobalOptions => program.opts<GlobalOptions>();

/** The options of a command whose only flag is --json. */
export interface JsonOptions {
  json?: boolean;
}

/** Commander argument parser for a comma-separated list. */
export const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** A flag given several times (`--alert a --alert b`), gathered in order. */
export const repeated = (value: string, previous: string[] = []): string[] => [...previous, value];

// The flags several commands take, spelt (and parsed) once; each command says what they mean for it.

export const jsonFlag = (description = 'print JSON'): Option => new Option('--json', description);

export function listFlag(description: string, fallback?: string): Option {
  const option = new Option('--list <list>', description);
  return fallback === undefined ? option : option.default(fallback);
}

export const dateFlag = (description: string): Option => new Option('--date <YYYY-MM-DD>', description);

export const sourceFlag = (): Option => new Option('--source <spec>', 'paper source: hf, sample or file:PATH');

export const topFlag = (description: string): Option => new Option('--top <n>', description).argParser(wholeNumber());

export const alertFlag = (description: string): Option => new Option('--alert <search>', description).argParser(repeated);

export const heldFlag = (description = 'every report the inbound breaker held'): Option => new Option('--held', description);

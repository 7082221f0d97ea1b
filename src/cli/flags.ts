import { InvalidArgumentError } from 'commander';

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

/** Commander argument parser for a comma-separated list. */
export const commaList = (value: string): string[] => value.split(',').map((part) => part.trim()).filter(Boolean);

/** A flag given several times (`--alert a --alert b`), gathered in order. */
export const repeated = (value: string, previous: string[] = []): string[] => [...previous, value];

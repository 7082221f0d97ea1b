import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import type { BounceKind } from '../../src/bounces/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

/**
 * Scoring shared by the labelled sets of real bounce mails (test/fixtures/bounces and
 * test/fixtures/bounces-unseen): each set's mails go through `paperboy bounces ingest --dry-run
 * --json` as a user would run it, and what it printed is compared with the set's expected.json.
 */
export interface ExpectedRecipient {
  email: string;
  status: string;
  hard: boolean;
}

export interface Expected {
  file: string;
  kind: BounceKind;
  recipients: ExpectedRecipient[];
}

export interface Printed {
  kind: BounceKind;
  recipients: ExpectedRecipient[];
}

export const readExpected = (dir: string): Expected[] => JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

/** Runs the real command on the set's mail/ folder; what it printed, by file name. */
export async function ingestSet(dir: string): Promise<Map<string, Printed>> {
  const printed = new Map<string, Printed>();
  const data = tempDir('paperboy-bounce-fixtures-');
  try {
    const result = await runCli(['--data-dir', data.path, 'bounces', 'ingest', '--dry-run', '--json', join(dir, 'mail')]);
    expect(result.code, result.stderr).toBe(0);
    for (const line of result.stdout.trim().split('\n')) {
      const row = JSON.parse(line);
      printed.set(basename(row.file), row);
    }
  } finally {
    data.remove();
  }
  return printed;
}

export const percent = (part: number, whole: number) => (whole === 0 ? 100 : (100 * part) / whole);

export interface Rates {
  kindAgrees: Expected[];
  wanted: Array<ExpectedRecipient & { file: string }>;
  found: Array<{ want: ExpectedRecipient & { file: string }; got: ExpectedRecipient }>;
  hardAgrees: Rates['found'];
  classAgrees: Rates['found'];
  /** Complaints in the labels, and those the command called complaints. */
  complaints: Expected[];
  complaintsFound: Expected[];
  /** Auto-replies and ordinary messages the command called bounces. */
  falseBounces: Expected[];
}

export function rates(expected: Expected[], printed: Map<string, Printed>): Rates {
  const verdict = (file: string) => printed.get(file)!;
  const kindAgrees = expected.filter((e) => verdict(e.file).kind === e.kind);
  const wanted = expected.filter((e) => e.kind === 'bounce').flatMap((e) => e.recipients.map((r) => ({ ...r, file: e.file })));
  const found = wanted.flatMap((r) => {
    const got = verdict(r.file).recipients.find((g) => g.email === r.email);
    return verdict(r.file).kind === 'bounce' && got ? [{ want: r, got }] : [];
  });
  const hardAgrees = found.filter(({ want, got }) => want.hard === got.hard);
  // Statuses compare loosely (Sisimai fills in its own X.0.9NN codes): the class, 4 or 5.
  const classAgrees = found.filter(({ want, got }) => want.status[0] === got.status[0]);
  const complaints = expected.filter((e) => e.kind === 'complaint');
  const complaintsFound = complaints.filter((e) => verdict(e.file).kind === 'complaint');
  const falseBounces = expected.filter((e) => (e.kind === 'auto-reply' || e.kind === 'not-bounce') && verdict(e.file).kind === 'bounce');
  return { kindAgrees, wanted, found, hardAgrees, classAgrees, complaints, complaintsFound, falseBounces };
}

export interface Floors {
  kind: number;
  recipients: number;
  hardSoft: number;
  statusClass: number;
}

/** Prints the set's rates beside their floors (so a change in any of them shows) and checks each floor. */
export function expectRates(title: string, expected: Expected[], r: Rates, floors: Floors): void {
  const rows = [
    ['kind agrees', r.kindAgrees.length, expected.length, floors.kind],
    ['expected recipients found', r.found.length, r.wanted.length, floors.recipients],
    ['hard/soft agrees (found)', r.hardAgrees.length, r.found.length, floors.hardSoft],
    ['status class agrees (found)', r.classAgrees.length, r.found.length, floors.statusClass],
  ] as const;
  console.log(
    [
      '',
      `${title.padEnd(30)}rate    count    floor`,
      ...rows.map(
        ([name, part, whole, floor]) => `  ${name.padEnd(28)} ${percent(part, whole).toFixed(1).padStart(5)}%  ${`${part}/${whole}`.padStart(7)}  ≥ ${floor}%`,
      ),
      `  complaints detected          ${`${r.complaintsFound.length}/${r.complaints.length}`.padStart(13)}`,
      `  auto-replies/others called bounces ${String(r.falseBounces.length).padStart(7)}`,
    ].join('\n'),
  );
  for (const [, part, whole, floor] of rows) expect(percent(part, whole)).toBeGreaterThanOrEqual(floor);
}

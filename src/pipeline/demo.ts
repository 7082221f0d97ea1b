import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, defaultTransport, originOf, relaysOf, sendsRealMail } from '../config/index.js';
import type { Edition } from '../editions/index.js';
import { PaperboyError } from '../errors.js';
import { importCsv, type SubscriberStore } from '../subscribers/index.js';
import { count } from '../words.js';

export const exampleCsv = 'example.csv';

/** The edition source of the demo: the papers bundled with paperboy. */
const demoSource = 'sample';

/**
 * On the embedded defaults only (outbox transport, empty list), a fresh clone gets demo readers
 * from the example CSV, marked as demo: real mail never reaches them, and `demo clear` takes them out.
 */
export async function seedDemoSubscribers(config: Readonly<Config>, store: SubscriberStore, list: string): Promise<number> {
  const csv = join(config.dataDir, exampleCsv);
  if (config.transport !== defaultTransport || relaysOf(config).length > 0 || !existsSync(csv) || (await store.count({ list })) > 0) return 0;
  return (await importCsv(store, createReadStream(csv), { list, demo: true })).added;
}

/**
 * Real mail from the sample papers only when asked for by name: with every other Go-live setting
 * made, a source left at its default would mail the demo's papers to the real readers.
 */
export function refuseDefaultSampleSource(config: Readonly<Config>): void {
  if (!sendsRealMail(config) || config.source !== demoSource || originOf(config, 'source') !== 'the defaults') return;
  throw new PaperboyError(
    'CONFIG',
    "The source is still the bundled sample papers (the demo's) while mail goes out for real. Set PAPERBOY_SOURCE=hf for the Daily Papers feed, or give --source sample to send the samples on purpose.",
  );
}

/**
 * A resumed edition keeps the papers it was made with. Real mail must not carry papers from a
 * source other than the configured one: above all not the demo's sample papers, which an edition
 * made by `npm start` earlier the same day still holds when the newsletter goes live.
 */
export function refuseOtherSource(config: Readonly<Config>, edition: Edition, command: (words: string[]) => string): void {
  if (!sendsRealMail(config) || edition.source === config.source) return;
  const which = `The ${edition.day} edition for ${edition.list}`;
  if (edition.source === demoSource) {
    throw new PaperboyError(
      'INPUT',
      `${which} is the demo's, made from the bundled sample papers; it is not sent as real mail. Run ${command(['demo', 'clear'])} to remove the demo (its editions and example.org readers), then send again.`,
    );
  }
  throw new PaperboyError(
    'INPUT',
    `${which} was made from ${edition.source}, but the source is now ${config.source}; a resumed edition keeps its papers. To finish it as it is, add --source ${edition.source}; to see it: ${command(['editions', 'show', edition.day, '--list', edition.list])}.`,
  );
}

/** "Left out 5 demo readers…" when real mail is about to go to a list that still holds the demo's. */
export async function demoNotice(
  config: Readonly<Config>,
  store: SubscriberStore,
  list: string,
  command: (words: string[]) => string,
): Promise<string | undefined> {
  if (!sendsRealMail(config)) return undefined;
  const demo = await store.count({ list, status: 'active', demo: true });
  if (demo === 0) return undefined;
  return `Left out ${count(demo, 'demo reader')} (seeded from ${exampleCsv}): real mail never goes to them. ${command(['demo', 'clear'])} removes the demo.`;
}

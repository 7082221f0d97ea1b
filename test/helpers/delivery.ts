import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type OutgoingMessage, type SenderDeps, type SendResult, type SendSummary, sendEdition, type Transport } from '../../src/delivery/index.js';
import type { Edition } from '../../src/editions/index.js';
import { createOrResumeEdition } from '../../src/pipeline/index.js';
import { type Db, openDatabase, SqliteEditionStore, SqliteLedger, SqliteSubscriberStore } from '../../src/stores/sqlite/index.js';
import { loadSecret, type SubscriberInput, type SubscriberStatus, TokenSigner } from '../../src/subscribers/index.js';

/** Everything a send needs, on a real SQLite file in its own data directory. */
export interface DeliveryWorld {
  dataDir: string;
  config: Readonly<Config>;
  db: Db;
  subscribers: SqliteSubscriberStore;
  editions: SqliteEditionStore;
  ledger: SqliteLedger;
  signer: TokenSigner;
  close(): void;
}

/** A data directory under `root` with the config built from `flags` (key paths), as the CLI would. */
export function openWorld(root: string, flags: Record<string, unknown> = {}): DeliveryWorld {
  const dataDir = join(root, 'data');
  const config = loadConfig({ env: {}, cwd: root, flags: { dataDir, source: 'sample', ...flags } });
  const db = openDatabase(dataDir);
  return {
    dataDir,
    config,
    db,
    subscribers: new SqliteSubscriberStore(db),
    editions: new SqliteEditionStore(db),
    ledger: new SqliteLedger(db),
    signer: new TokenSigner(loadSecret(dataDir, {})),
    close: () => db.close(),
  };
}

export interface Person {
  email: string;
  name?: string;
  status?: SubscriberStatus;
}

/** Adds people to the default list; returns their ids in the same order. */
export async function addPeople(world: DeliveryWorld, people: readonly Person[]): Promise<number[]> {
  const inputs: SubscriberInput[] = people.map((person) => ({
    email: person.email,
    name: person.name ?? '',
    status: person.status ?? 'active',
    source: 'cli',
    lists: ['default'],
  }));
  await world.subscribers.upsertMany(inputs);
  const ids: number[] = [];
  for (const person of people) ids.push((await world.subscribers.findByEmail(person.email))!.id);
  return ids;
}

/** `count` active people named reader1@example.com, reader2@…; returns their ids. */
export function addReaders(world: DeliveryWorld, count: number): Promise<number[]> {
  return addPeople(
    world,
    Array.from({ length: count }, (_, index) => ({ email: `reader${index + 1}@example.com` })),
  );
}

/** The edition of `day` for the default list, from the bundled sample papers. */
export async function sampleEdition(world: DeliveryWorld, day = '2026-03-02'): Promise<Edition> {
  const outcome = await createOrResumeEdition(world.config, world.editions, { list: 'default', day });
  if (outcome.kind === 'no-papers') throw new Error(`the sample source gave no papers for ${day}`);
  return outcome.edition;
}

/** An in-process transport that records every message it is given; `behaviour` may throw to refuse one. */
export function recordingTransport(behaviour: (message: OutgoingMessage, sent: OutgoingMessage[]) => void | Promise<void> = () => {}) {
  const sent: OutgoingMessage[] = [];
  const offered: OutgoingMessage[] = [];
  const transport: Transport = {
    name: 'recording',
    async send(message: OutgoingMessage): Promise<SendResult> {
      offered.push(message);
      await behaviour(message, sent);
      sent.push(message);
      return { response: '250 OK' };
    },
  };
  return { transport, sent, offered };
}

/** An error shaped like the ones nodemailer throws for an SMTP reply. */
export function smtpError(responseCode: number, command: string, code = 'EENVELOPE'): Error {
  return Object.assign(new Error(`${responseCode} refused`), { responseCode, command, code, response: `${responseCode} refused by the test` });
}

/** The ledger rows of an edition, by subscriber. */
export function ledgerRows(db: Db, editionId: number) {
  return db
    .prepare(
      'SELECT subscriber_id AS subscriberId, status, attempts, message_id AS messageId, last_error AS lastError FROM deliveries WHERE edition_id = ? ORDER BY subscriber_id',
    )
    .all(editionId) as { subscriberId: number; status: string; attempts: number; messageId: string; lastError: string | null }[];
}

/** sendEdition with the world's stores and signer. */
export function sendWith(world: DeliveryWorld, edition: Edition, transport: Transport, extra: Partial<SenderDeps> = {}): Promise<SendSummary> {
  return sendEdition(edition, {
    config: world.config,
    ledger: world.ledger,
    editions: world.editions,
    subscribers: world.subscribers,
    transport,
    signer: world.signer,
    ...extra,
  });
}

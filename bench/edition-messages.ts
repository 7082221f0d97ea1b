/**
 * What the send benches need around paperboy's send path: readers seeded into a data folder, and
 * the very messages paperboy sent them, for the baselines to send again.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Config } from '../src/config/index.js';
import { buildMessage, messageContext, type OutgoingMessage } from '../src/delivery/index.js';
import type { Edition } from '../src/editions/index.js';
import { createOrResumeEdition } from '../src/pipeline/index.js';
import { compileSources, editionView } from '../src/render/index.js';
import { openDatabase, openSubscriberStore, SqliteEditionStore } from '../src/stores/sqlite/index.js';
import { importCsv, loadSecret, TokenSigner } from '../src/subscribers/index.js';

/** `count` readers (reader0@example0.org …) on the default list of the SQLite store in `dataDir`. */
export async function seed(dataDir: string, count: number): Promise<void> {
  const csv = join(dataDir, `people-${count}.csv`);
  const lines = ['email,name'];
  for (let i = 0; i < count; i++) lines.push(`reader${i}@example${i % 50}.org,Reader ${i}`);
  const store = openSubscriberStore(dataDir);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  await importCsv(store, createReadStream(csv), { list: 'default' });
  store.close();
}

/** Every reader in `dataDir`, and how to build the message of `day`'s edition (created if need be) for each. */
export async function editionMessages(config: Readonly<Config>, dataDir: string, day: string) {
  const db = openDatabase(dataDir);
  const edition = (await createOrResumeEdition(config, new SqliteEditionStore(db), { list: 'default', day })) as { edition: Edition };
  const context = messageContext(
    config,
    edition.edition,
    editionView({ day, papers: edition.edition.papers, newsletter: config.newsletter }),
    compileSources(edition.edition.templates),
    new TokenSigner(loadSecret(dataDir)),
  );
  const rows = db.prepare('SELECT id, email, name FROM subscribers ORDER BY id').all() as { id: number; email: string; name: string }[];
  db.close();
  const message = (row: (typeof rows)[number]) =>
    buildMessage(
      context,
      { subscriberId: row.id, email: row.email, name: row.name, preferences: { topics: [] }, attempts: 0, messageId: `<bench.${row.id}@example.org>` },
      new Date(),
    );
  return { rows, message };
}

/** Sends every message through plain nodemailer, which composes each one itself, `inFlight` at a time. */
export async function sendComposed(transport: Transporter, count: number, message: (index: number) => OutgoingMessage, inFlight: number): Promise<void> {
  let index = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (index < count) {
        const m = message(index++);
        await transport.sendMail({
          from: m.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: m.messageId,
          date: m.date,
          headers: m.headers,
        });
      }
    }),
  );
}

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { neutralizeFormula } from './csv-formulas.js';
import type { Subscriber, SubscriberFilter, SubscriberStore } from './types.js';

export const exportColumns = ['email', 'name', 'status', 'topics', 'lists', 'source', 'created_at', 'confirmed_at', 'unsubscribed_at', 'frequency', 'alerts'];

/** Every subscriber matching `filter`, page by page in id order: memory does not grow with the list. */
export async function* eachSubscriber(store: SubscriberStore, filter: SubscriberFilter, pageSize = 1000): AsyncGenerator<Subscriber> {
  let afterId = 0;
  for (;;) {
    const page = await store.page(filter, afterId, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    afterId = page.at(-1)!.id;
  }
}

function toRow(subscriber: Subscriber): string[] {
  return [
    subscriber.email,
    subscriber.name,
    subscriber.status,
    subscriber.preferences.topics.join(';'),
    subscriber.lists.join(';'),
    subscriber.source,
    subscriber.createdAt,
    subscriber.confirmedAt ?? '',
    subscriber.unsubscribedAt ?? '',
    subscriber.preferences.frequency ?? 'daily',
    (subscriber.preferences.alerts ?? []).join(';'),
  ].map(neutralizeFormula);
}

/** Streams the subscribers as CSV (with a header row) into `output`, honouring backpressure. Returns the row count. */
export async function exportCsv(store: SubscriberStore, filter: SubscriberFilter, output: NodeJS.WritableStream): Promise<number> {
  let rows = 0;
  async function* records() {
    for await (const subscriber of eachSubscriber(store, filter)) {
      rows++;
      yield toRow(subscriber);
    }
  }
  const { stringify } = await import('csv-stringify'); // loaded here: most commands never write a CSV
  await pipeline(Readable.from(records()), stringify({ header: true, columns: exportColumns }), output, { end: output !== process.stdout });
  return rows;
}

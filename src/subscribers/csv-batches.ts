import { emailKey } from './address.js';
import type { SubscriberInput, SubscriberStore, UpsertOutcome } from './types.js';

/**
 * Writes imported rows in transactions of `batchSize`. Batches are written while the next are
 * read (a few at a time): with a server database the parsing, the round trips and the server's
 * work overlap. A batch that names someone a batch still being written names too waits for it,
 * so rows for one address still merge in file order.
 */
export class BatchWriter {
  private static readonly writesInFlight = 3;
  private batch: SubscriberInput[] = [];
  private writing: { done: Promise<void>; keys: Set<string> }[] = [];

  constructor(
    private readonly store: SubscriberStore,
    private readonly options: { batchSize: number; resubscribe: boolean; onOutcome: (outcome: UpsertOutcome) => void },
  ) {}

  /** Adds a row; true when that filled a batch and it went to be written. */
  async add(input: SubscriberInput): Promise<boolean> {
    this.batch.push(input);
    if (this.batch.length < this.options.batchSize) return false;
    await this.flush();
    return true;
  }

  /** Writes what is left and waits for every write; the first failed write's error is thrown. */
  async finish(): Promise<void> {
    await this.flush();
    for (const write of this.writing) await write.done;
    this.writing = [];
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    const keys = new Set(rows.map((row) => emailKey(row.email)));
    const { writing } = this;
    while (writing.length >= BatchWriter.writesInFlight || writing.some((write) => [...keys].some((key) => write.keys.has(key)))) {
      await writing[0]!.done;
      writing.shift();
    }
    const done = this.store.upsertMany(rows, { resubscribe: this.options.resubscribe }).then((outcomes) => outcomes.forEach(this.options.onOutcome));
    done.catch(() => undefined); // handled where it is awaited, by a later batch or at the end
    writing.push({ done, keys });
  }
}

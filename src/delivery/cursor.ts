import type { DueDelivery } from '../ledger/index.js';

/**
 * One pass over the edition's due rows, a reserved page at a time, shared by the run's workers:
 * a page is reserved once even when several workers run dry together, and the pass walks the
 * edition in subscriber order, so it ends.
 */
export class PageCursor {
  private page: DueDelivery[] = [];
  private index = 0;
  private after = 0;
  private exhausted = false;
  private fetching: Promise<void> | undefined;
  /** Rows handed out so far. */
  taken = 0;

  constructor(
    private readonly reserve: (after: number, limit: number) => Promise<DueDelivery[]>,
    private readonly pageSize: number,
    private readonly stopped: () => boolean,
  ) {}

  async next(): Promise<DueDelivery | undefined> {
    while (this.index >= this.page.length) {
      if (this.exhausted || this.stopped()) return undefined;
      await (this.fetching ??= this.fetch().finally(() => (this.fetching = undefined)));
    }
    this.taken++;
    return this.page[this.index++];
  }

  private async fetch(): Promise<void> {
    this.page = await this.reserve(this.after, this.pageSize);
    this.index = 0;
    if (this.page.length < this.pageSize) this.exhausted = true;
    if (this.page.length > 0) this.after = this.page.at(-1)!.subscriberId;
  }
}

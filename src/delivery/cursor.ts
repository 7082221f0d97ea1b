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

  /** Rows came free behind the cursor (a dead sender's): the next page starts over from the first row. */
  private rewound = false;

  constructor(
    private readonly reserve: (after: number, limit: number) => Promise<DueDelivery[]>,
    private readonly pageSize: number,
    private readonly stopped: () => boolean,
  ) {}

  rewind(): void {
    this.rewound = true;
    this.exhausted = false;
  }

  async next(): Promise<DueDelivery | undefined> {
    while (this.index >= this.page.length) {
      if (this.exhausted || this.stopped()) return undefined;
      await (this.fetching ??= this.fetch().finally(() => (this.fetching = undefined)));
    }
    this.taken++;
    return this.page[this.index++];
  }

  private async fetch(): Promise<void> {
    if (this.rewound) [this.after, this.rewound] = [0, false];
    this.page = await this.reserve(this.after, this.pageSize);
    this.index = 0;
    if (this.page.length < this.pageSize) this.exhausted = true;
    if (this.page.length > 0) this.after = this.page.at(-1)!.subscriberId;
  }
}

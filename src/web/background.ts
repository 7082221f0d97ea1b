import type { FastifyBaseLogger } from 'fastify';
import { messageOf } from '../errors.js';

/**
 * Work done after a reply has gone out (so the time a request takes says nothing about what the
 * work found), tracked so that closing the server, or a test, can wait for it.
 */
export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: FastifyBaseLogger) {}

  run(what: string, task: () => Promise<void>): void {
    const done: Promise<void> = task()
      .catch((error: unknown) => this.log.error({ err: messageOf(error) }, `${what} failed`))
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves once nothing is running (including work started meanwhile). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

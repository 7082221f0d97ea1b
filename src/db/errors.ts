import { PaperboyError } from '../errors.js';

/** An error from node-postgres (a server notice has a severity; a socket error comes through its client). */
const isPostgresError = (error: unknown): boolean =>
  typeof (error as { severity?: unknown }).severity === 'string' || /ECONN|ETIMEDOUT|EPIPE/.test((error as { code?: string }).code ?? '');

/**
 * A store failure as one line a person can act on, or undefined when the error is not the
 * store's (then it is a bug). Every one of these is temporary from a caller's side: the same work
 * can succeed once the server is back, the lock is released or the disk has room.
 */
export function storeFailure(error: unknown): PaperboyError | undefined {
  if (error instanceof PaperboyError) return error.code === 'STORE' ? error : undefined;
  const code = (error as { code?: string } | undefined)?.code;
  if (!code) return undefined;
  // The PostgreSQL server went away or refused us in the middle of the work.
  if ((/^(08|53|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) && isPostgresError(error)) {
    return new PaperboyError('STORE', `the database connection failed (${(error as Error).message}); check that the server is up, then run the command again.`, { cause: error });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new PaperboyError('STORE', 'the database stayed locked by another paperboy process (a long import or send?); try again when it is done.', { cause: error });
  }
  return undefined;
}

import { PaperboyError } from '../errors.js';

/** An error from node-postgres (a server notice has a severity; a socket error comes through its client). */
const isPostgresError = (error: unknown): boolean =>
  typeof (error as { severity?: unknown }).severity === 'string' || /ECONN|ETIMEDOUT|EPIPE/.test((error as { code?: string }).code ?? '');

/** The store file this process opened, to name it when a write fails (SQLite's errors do not say which file). */
let storePath: string | undefined;

export function noteStorePath(path: string): void {
  storePath = path;
}

const clientLostConnection = /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable)/;

const diskFull = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
const readOnly = new Set(['SQLITE_READONLY', 'EROFS', 'EACCES', 'EPERM']);

/**
 * A local write that failed for want of room or rights: the disk is full, over quota, read-only.
 * `path` when the error names one (a file paperboy wrote), else the store's file.
 */
export function localWriteFailure(error: unknown): PaperboyError | undefined {
  const { code, path } = (error ?? {}) as { code?: string; path?: string };
  if (!code) return undefined;
  const where = path ?? storePath ?? 'the data directory';
  if (diskFull.has(code))
    return new PaperboyError(
      'STORE',
      `the disk is full: cannot write ${where}; free some space, then run the command again (what was recorded before is kept).`,
      { cause: error },
    );
  if (code.startsWith('SQLITE_IOERR'))
    return new PaperboyError(
      'STORE',
      `cannot write ${where} (${code}): the disk is full or failing; free some space or check it, then run the command again.`,
      { cause: error },
    );
  if (readOnly.has(code) && (path !== undefined || code.startsWith('SQLITE'))) {
    return new PaperboyError('STORE', `cannot write ${where}: it is read-only for this user; give the user write access, or choose another data directory.`, {
      cause: error,
    });
  }
  return undefined;
}

/**
 * A store failure as one line a person can act on, or undefined when the error is not the
 * store's (then it is a bug). Every one of these is temporary from a caller's side: the same work
 * can succeed once the server is back, the lock is released or the disk has room.
 */
export function storeFailure(error: unknown): PaperboyError | undefined {
  if (error instanceof PaperboyError) return error.code === 'STORE' ? error : undefined;
  const code = (error as { code?: string } | undefined)?.code;
  // node-postgres's own words for a connection the server ended (they carry no code).
  if (!code && clientLostConnection.test((error as Error | undefined)?.message ?? '')) {
    return new PaperboyError(
      'STORE',
      `the database connection failed (${(error as Error).message}); check that the server is up, then run the command again.`,
      { cause: error },
    );
  }
  if (!code) return undefined;
  // The PostgreSQL server went away or refused us in the middle of the work (53100: its disk is full).
  if ((/^(08|53|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) && isPostgresError(error)) {
    return new PaperboyError(
      'STORE',
      `the database connection failed (${(error as Error).message}); check that the server is up, then run the command again.`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new PaperboyError('STORE', 'the database stayed locked by another paperboy process (a long import or send?); try again when it is done.', {
      cause: error,
    });
  }
  return localWriteFailure(error);
}

import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The data directory and what is in it hold addresses and links that never expire: readable by
 * their owner only, whatever the umask. Directories 0700, files 0600; existing ones are tightened.
 */
export function privateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
}

/** Creates `file` empty with mode 0600 if it does not exist (so SQLite's -wal and -shm inherit it), else tightens it. */
export function privateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  tighten(file, 0o600);
}

function tighten(path: string, mode: number): void {
  try {
    if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
  } catch {
    // Not ours to change (another owner, a read-only mount): leave it as it is.
  }
}

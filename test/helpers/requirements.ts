import { spawnSync } from 'node:child_process';

export const isRoot = process.getuid?.() === 0;

/** Whether a process can be started under a host name of its own: unshare as root, or in a user namespace (-r) where the kernel lets anyone. */
export const canRenameHost = isRoot || spawnSync('unshare', ['-r', '-u', 'true'], { stdio: 'ignore' }).status === 0;

/**
 * Whether what a test needs is here (root, a kernel feature). When it is not, the test is skipped
 * with one line saying why; in CI, where every test runs, that is an error instead.
 */
export function available(ok: boolean, why: string): boolean {
  if (ok) return true;
  if (process.env.CI) throw new Error(`CI runs every test, but here ${why}.`);
  console.warn(`Skipped: ${why}.`);
  return false;
}

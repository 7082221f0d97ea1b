import type { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

/** Keeps `child` on the list of processes a test started: whatever the test's end, they are stopped (test/setup/processes.ts). */
export function track<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Stops every tracked process still running: SIGTERM, then SIGKILL after a grace period. */
export async function stopTracked(graceMs = 5_000): Promise<void> {
  const left = [...running];
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

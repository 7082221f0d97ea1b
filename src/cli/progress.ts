import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, setTotal() {}, stop() {} };

/** Whether a person watches a terminal (a bar, and the work of sizing it, are worth it). */
export const watched = (): boolean => Boolean(process.stderr.isTTY && process.stdout.isTTY && !process.env.CI);

/** A progress bar on stderr when a person watches a terminal; nothing when output is piped or in CI. It draws no colours. */
export function progressBar(total: number, unit: string, format?: string): Progress {
  if (!watched()) return silent;
  const bar = new cliProgress.SingleBar(
    { format: format ?? `{bar} {percentage}% | {value}/{total} ${unit} | ETA {eta}s`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { failed: 0, rate: 0 });
  return bar;
}

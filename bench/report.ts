/** Shared printing for the bench scripts: a figure per line, next to its baseline, and a ratio. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export function printFigures(title: string, figures: Figure[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...figures.map((figure) => figure.name.length));
  for (const figure of figures) {
    const value = figure.value >= 100 ? Math.round(figure.value).toLocaleString('en-US') : figure.value.toFixed(2);
    console.log(`  ${figure.name.padEnd(width)}  ${value.padStart(12)} ${figure.unit}`);
  }
}

export function verdict(label: string, ok: boolean, detail: string): void {
  console.log(`  ${ok ? 'PASS' : 'MISS'}  ${label}: ${detail}`);
}

/** Runs `fn` repeatedly until at least `minMs` has passed; returns operations per second. */
export function opsPerSecond(fn: (i: number) => void, minMs: number, batch = 100): { ops: number; count: number } {
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) fn(count++);
    elapsed = performance.now() - started;
  }
  return { ops: (count * 1000) / elapsed, count };
}

/**
 * Two ways measured in alternating rounds, each figure the median of its rounds: on a noisy
 * machine a slow patch then hits both alike, so their ratio holds even when the figures move.
 */
export function alternating(
  a: (i: number) => void,
  b: (i: number) => void,
  rounds = 5,
  msEach = 500,
): [{ ops: number; count: number }, { ops: number; count: number }] {
  const results: [number[], number[]] = [[], []];
  const counts = [0, 0];
  for (let round = 0; round < rounds; round++) {
    [a, b].forEach((fn, which) => {
      const { ops, count } = opsPerSecond((i) => fn(counts[which]! + i), msEach);
      results[which]!.push(ops);
      counts[which]! += count;
    });
  }
  const median = (values: number[]) => [...values].sort((x, y) => x - y)[values.length >> 1]!;
  return [
    { ops: median(results[0]), count: counts[0]! },
    { ops: median(results[1]), count: counts[1]! },
  ];
}

export const mb = (bytes: number) => bytes / 1024 / 1024;

/** The median time of `runs` runs of `work` after one warm-up, in milliseconds. */
export async function medianMs(work: () => Promise<unknown>, runs: number): Promise<number> {
  await work();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

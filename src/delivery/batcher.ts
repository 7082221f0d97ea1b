/**
 * Group commit for ledger writes: calls that arrive while a write is on its way are gathered and
 * go as one statement next. Under little load every call goes at once; under much load one round
 * trip carries many rows. A caller still waits for its own row to be written, so no row is ever
 * "sent but not recorded" for longer than before, and the crash bound (at most the in-flight
 * messages uncertain) holds.
 */
export function batcher<T, R>(write: (items: T[]) => Promise<Map<T, R>>): (item: T) => Promise<R> {
  let queued: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  let writing = false;
  const flush = async () => {
    writing = true;
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        const results = await write(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve(results.get(entry.item)!);
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    writing = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      queued.push({ item, resolve, reject });
      if (!writing) void flush();
    });
}

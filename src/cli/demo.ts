import { withStores } from '../stores/index.js';
import { count } from '../words.js';
import { commandConfig } from './context.js';
import type { GlobalOptions, JsonOptions } from './flags.js';
import { print, printJson } from './output.js';

/** `demo clear`: the demo's editions, readers and archived sample papers out of the store, before the newsletter goes live. */
export async function clear(options: JsonOptions, global: GlobalOptions): Promise<void> {
  const config = commandConfig(global);
  const cleared = await withStores(config, (stores) => stores.clearDemo());
  if (options.json) return printJson(cleared);
  if (cleared.editions === 0 && cleared.readers === 0 && cleared.papers === 0)
    return print('No demo here: no edition of the sample papers kept only in the outbox, no demo reader, no sample paper in the papers archive.');
  print(
    `Removed the demo: ${count(cleared.editions, 'edition')} of the sample papers and ${count(cleared.readers, 'demo reader')}, with their deliveries, ` +
      `and ${count(cleared.papers, 'sample paper')} from the papers archive. ` +
      `The .eml files already in the outbox stay; delete them as you like.`,
  );
}

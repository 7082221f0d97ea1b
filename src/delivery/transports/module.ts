import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf, PaperboyError } from '../../errors.js';
import type { Transport } from '../transport.js';

/**
 * `module:PATH`: a transport of your own. The module's default export is either a transport
 * object (`{ send(message), close?() }`) or a function `(options) => transport` (may be async),
 * called with `{ url, env }`.
 */
export async function moduleTransport(url: string, path: string, env: NodeJS.ProcessEnv): Promise<Transport> {
  const file = resolve(path);
  let loaded: { default?: unknown };
  try {
    loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new PaperboyError('CONFIG', `Cannot load the transport module ${file}: ${messageOf(error).split('\n')[0]}.`);
  }
  const exported = loaded.default;
  const candidate = typeof exported === 'function' ? await (exported as (o: object) => unknown)({ url, env }) : exported;
  if (!candidate || typeof (candidate as Transport).send !== 'function') {
    throw new PaperboyError('CONFIG', `${file} must export default a transport ({ send(message) }) or a function that returns one.`);
  }
  const transport = candidate as Transport;
  return {
    name: url,
    send: (message) => transport.send(message),
    ...(transport.close ? { close: () => transport.close!() } : {}),
  };
}

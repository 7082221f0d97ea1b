import { join } from 'node:path';
import { PaperboyError } from '../../errors.js';
import type { Transport } from '../transport.js';
import { jsonTransport } from './json.js';
import { moduleTransport } from './module.js';
import { outboxTransport } from './outbox.js';
import { type SmtpOptions, smtpTransport } from './smtp/index.js';

export { outboxFileName } from './outbox.js';
export type { SmtpOptions } from './smtp/index.js';
export { redactUrl } from './smtp/index.js';

export interface TransportOptions extends SmtpOptions {
  /** The data directory: a bare `outbox:` writes into its outbox/ folder. */
  dataDir?: string;
}

const validSchemes = 'smtp://, smtps://, outbox:, json: or module:';

const knownScheme = /^(outbox:|json:?$|module:|smtps?:\/\/)/;

/** The spec without anything that may be a credential: everything up to the last @ (a password can hold / or @). */
export const redactSpec = (spec: string): string => spec.replace(/^([^:/]*:(?:\/\/)?).*@/, '$1***@');

/** Fails early, before any work is done, on a transport URL no transport would take. */
export function checkTransportSpec(spec: string): void {
  if (!knownScheme.test(spec)) {
    throw new PaperboyError('CONFIG', `Unknown transport "${redactSpec(spec)}". Use ${validSchemes}.`);
  }
}

/** The folder an outbox spec writes to: `outbox:DIR` as given, a bare `outbox:` under the data directory. */
export function outboxDir(spec: string, dataDir: string | undefined): string {
  const dir = spec.slice('outbox:'.length).replace(/^\/\/(?=\.|\/)/, '');
  if (dir) return dir;
  if (!dataDir) throw new PaperboyError('CONFIG', 'The outbox transport needs a folder: outbox:./outbox');
  return join(dataDir, 'outbox');
}

/** The transport a URL names. */
export async function createTransport(spec: string, options: TransportOptions): Promise<Transport> {
  checkTransportSpec(spec);
  if (spec.startsWith('outbox:')) return outboxTransport(outboxDir(spec, options.dataDir));
  if (spec === 'json:' || spec === 'json') return jsonTransport();
  if (spec.startsWith('module:')) return moduleTransport(spec, spec.slice('module:'.length), options.env);
  let url: URL; // what is left is smtp:// or smtps://
  try {
    url = new URL(spec);
  } catch {
    throw new PaperboyError('CONFIG', `The transport URL is not a valid URL; write it as smtp://user:pass@host:587.`);
  }
  if (!url.hostname) throw new PaperboyError('CONFIG', 'The SMTP transport URL has no host; write it as smtp://user:pass@host:587.');
  return smtpTransport(url, options);
}

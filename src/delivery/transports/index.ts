import { PaperboyError } from '../../errors.js';
import type { Transport } from '../transport.js';
import { jsonTransport } from './json.js';
import { moduleTransport } from './module.js';
import { outboxTransport } from './outbox.js';
import { smtpTransport, type SmtpOptions } from './smtp.js';

export { outboxFileName } from './outbox.js';
export { redactUrl } from './smtp.js';
export type { SmtpOptions } from './smtp.js';

const validSchemes = 'smtp://, smtps://, outbox:, json: or module:';

const knownScheme = /^(outbox:|json:?$|module:|smtps?:\/\/)/;

/** Fails early, before any work is done, on a transport URL no transport would take. Everything up to
 * the last @ may be credentials (a password can hold / or @), so none of it is shown. */
export function checkTransportSpec(spec: string): void {
  if (!knownScheme.test(spec)) {
    throw new PaperboyError('CONFIG', `Unknown transport "${spec.replace(/^([^:/]*:(?:\/\/)?).*@/, '$1***@')}". Use ${validSchemes}.`);
  }
}

/** The transport a URL names. */
export async function createTransport(spec: string, smtp: SmtpOptions): Promise<Transport> {
  checkTransportSpec(spec);
  if (spec.startsWith('outbox:')) {
    const dir = spec.slice('outbox:'.length).replace(/^\/\/(?=\.|\/)/, '');
    if (!dir) throw new PaperboyError('CONFIG', 'The outbox transport needs a folder: outbox:./outbox');
    return outboxTransport(dir);
  }
  if (spec === 'json:' || spec === 'json') return jsonTransport();
  if (spec.startsWith('module:')) return moduleTransport(spec, spec.slice('module:'.length), smtp.env);
  let url: URL; // what is left is smtp:// or smtps://
  try {
    url = new URL(spec);
  } catch {
    throw new PaperboyError('CONFIG', `The transport URL is not a valid URL; write it as smtp://user:pass@host:587.`);
  }
  if (!url.hostname) throw new PaperboyError('CONFIG', 'The SMTP transport URL has no host; write it as smtp://user:pass@host:587.');
  return smtpTransport(url, smtp);
}

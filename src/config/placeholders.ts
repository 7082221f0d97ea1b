import { PaperboyError } from '../errors.js';
import { transportSpecs } from './relays.js';
import { type Config, placeholderBaseUrl, placeholderFrom } from './schema.js';

/** True when mail goes somewhere real (SMTP, a module) through the transport or any relay, not only into files or onto stdout for looking at. */
export const sendsRealMail = (config: Readonly<Config>): boolean =>
  transportSpecs(config).some((spec) => !spec.startsWith('outbox:') && !spec.startsWith('json'));

/**
 * Real mail with the placeholder From or base URL would put dead unsubscribe and confirm links in
 * every inbox: refuse before anything is sent. The outbox and json: are for looking.
 */
export function refusePlaceholders(config: Readonly<Config>): void {
  if (!sendsRealMail(config)) return;
  if (config.newsletter.baseUrl === placeholderBaseUrl) {
    throw new PaperboyError(
      'CONFIG',
      `newsletter.baseUrl is still ${placeholderBaseUrl}: unsubscribe and confirm links would not work. Set it to your public https:// address (PAPERBOY_BASE_URL).`,
    );
  }
  if (config.newsletter.from === placeholderFrom) {
    throw new PaperboyError('CONFIG', 'newsletter.from is still the placeholder address; set it to your sending address (PAPERBOY_FROM).');
  }
}

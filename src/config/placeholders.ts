import { PaperboyError } from '../errors.js';
import { transportSpecs } from './relays.js';
import { type Config, placeholderBaseUrl, placeholderFrom } from './schema.js';

/** True when mail goes somewhere real (SMTP, a module) through the transport or any relay, not only into files or onto stdout for looking at. */
export const sendsRealMail = (config: Readonly<Config>): boolean =>
  transportSpecs(config).some((spec) => !spec.startsWith('outbox:') && !spec.startsWith('json'));

/**
 * An http:// base URL this machine alone can open (localhost, 127.x, [::1]): real mail with its
 * links can only be read here, as in a rehearsal against a local mail catcher or the browser
 * tests, so it is let through; such mail carries no one-click List-Unsubscribe-Post.
 */
function onLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Real mail with the placeholder From or base URL would put dead unsubscribe and confirm links in
 * every inbox, and with an http:// base URL elsewhere than loopback, links that travel in clear
 * and no one-click unsubscribe (RFC 8058 needs https): refuse before anything is sent. The outbox
 * and json: are for looking.
 */
export function refusePlaceholders(config: Readonly<Config>): void {
  if (!sendsRealMail(config)) return;
  if (config.newsletter.baseUrl === placeholderBaseUrl) {
    throw new PaperboyError(
      'CONFIG',
      `newsletter.baseUrl is still ${placeholderBaseUrl}: unsubscribe and confirm links would not work. Set it to your public https:// address (PAPERBOY_BASE_URL).`,
    );
  }
  if (!/^https:\/\//i.test(config.newsletter.baseUrl) && !onLoopback(config.newsletter.baseUrl)) {
    throw new PaperboyError(
      'CONFIG',
      `newsletter.baseUrl is ${config.newsletter.baseUrl}: real mail needs an https:// address, for its links and for one-click unsubscribe (RFC 8058); only localhost may stay http://. Set it to your public https:// address (PAPERBOY_BASE_URL).`,
    );
  }
  if (config.newsletter.from === placeholderFrom) {
    throw new PaperboyError('CONFIG', 'newsletter.from is still the placeholder address; set it to your sending address (PAPERBOY_FROM).');
  }
}

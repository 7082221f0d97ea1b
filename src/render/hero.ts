import { huggingFaceImageHosts } from '../papers/index.js';
import type { PaperView } from './view.js';

/**
 * A feed image is shown only over HTTPS from an allowed host (`newsletter.heroImageHosts`, by
 * default the feed's own thumbnail host): a plain-http URL or any other host, a tracking pixel
 * say, is not loaded in the reader's mail client.
 */
export function allowedImage(url: string, hosts: readonly string[] = huggingFaceImageHosts): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' && hosts.includes(hostname);
}

/** The paper's view without its thumbnail when the thumbnail may not be shown, so no template can load it. */
export function withAllowedThumbnail(view: PaperView, hosts: readonly string[] | undefined): PaperView {
  if (view.thumbnail === undefined || allowedImage(view.thumbnail, hosts)) return view;
  const { thumbnail: _, ...rest } = view;
  return rest;
}

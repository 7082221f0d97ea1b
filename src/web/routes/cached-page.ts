import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

type Coding = 'br' | 'gzip' | 'identity';

/**
 * A response body made once and kept: its bytes in each content coding browsers ask for (a 55 KB
 * archive page is about 4 KB as br), and a strong ETag for each, as RFC 9110 8.8.3 asks of
 * representations that differ in their bytes.
 */
export interface CachedPage {
  type: string;
  cacheControl: string;
  bodies: Record<Coding, Buffer>;
  etags: Record<Coding, string>;
}

/** `brotliQuality` below 11 for large files made on a request's time (quality 11 takes seconds on the 450 KB chart library). */
export function cachedPage(content: string | Buffer, type: string, cacheControl: string, brotliQuality = 11): CachedPage {
  const identity = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const bodies = {
    identity,
    gzip: gzipSync(identity, { level: 9 }),
    br: brotliCompressSync(identity, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: brotliQuality, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length },
    }),
  };
  const tag = createHash('sha256').update(identity).digest('base64url').slice(0, 22);
  return { type, cacheControl, bodies, etags: { identity: `"${tag}"`, gzip: `"${tag}-gzip"`, br: `"${tag}-br"` } };
}

const acceptsCoding = (name: string) => new RegExp(`(^|,)\\s*${name}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[0-9.]+)?\\s*(,|$)`);
const acceptsBrotli = acceptsCoding('br');
const acceptsGzip = acceptsCoding('gzip');

/** Accept-Encoding values seen, and what they chose: browsers send a handful of distinct ones. */
const picked = new Map<string, 'br' | 'gzip' | undefined>();

/** The best encoding the client accepts (a q=0 refuses). */
export function pickEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  if (picked.has(header)) return picked.get(header);
  const offered = header.toLowerCase();
  const choice = acceptsBrotli.test(offered) ? 'br' : acceptsGzip.test(offered) ? 'gzip' : undefined;
  if (picked.size >= 256) picked.clear();
  picked.set(header, choice);
  return choice;
}

/** Whether an If-None-Match header names this tag (weak comparison, as RFC 9110 13.1.2 asks), or is `*`. */
export function matchesTag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((each) => each.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends the page in the coding the client prefers, or 304 without a body when the client already
 * holds that representation: the same ETag, Cache-Control and Vary either way.
 */
export function sendCached(request: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
  const coding = pickEncoding(request.headers['accept-encoding']) ?? 'identity';
  const etag = page.etags[coding];
  reply.header('cache-control', page.cacheControl).header('vary', 'accept-encoding').header('etag', etag);
  if (matchesTag(request.headers['if-none-match'], etag)) {
    // No body either way; HEAD's Content-Length must then be the 200's (RFC 9110 8.6), which Fastify takes from the body it drops.
    return reply.code(304).send(request.method === 'HEAD' ? page.bodies[coding] : undefined);
  }
  reply.type(page.type);
  if (coding !== 'identity') reply.header('content-encoding', coding);
  return reply.send(page.bodies[coding]);
}

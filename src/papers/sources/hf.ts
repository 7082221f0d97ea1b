import { messageOf, PaperboyError } from '../../errors.js';
import { count } from '../../words.js';
import { normalizeFeed } from '../normalize.js';
import type { FeedDay, PaperSource } from '../paper.js';

export interface HuggingFaceOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Extra attempts after the first, for 429, 5xx, timeouts and network errors. */
  retries: number;
  backoffMs: number;
  pageSize: number;
  maxPages: number;
  userAgent: string;
}

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

async function fetchOnce(url: string, options: HuggingFaceOptions): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'user-agent': options.userAgent, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new RetryableError(`no answer within ${options.timeoutMs} ms`);
    const unreachable = unreachableReason(error);
    // No DNS answer, a refused connection, no route: waiting will not fix it, so say so at once.
    if (unreachable)
      throw new PaperboyError('SOURCE', `Cannot reach ${new URL(url).host}: ${unreachable}. Check the network (or hf.baseUrl), or use --source sample.`);
    throw new RetryableError(messageOf(error));
  }
  if (response.status === 429 || response.status >= 500) {
    await response.body?.cancel();
    throw new RetryableError(`HTTP ${response.status}`, retryAfterMs(response.headers.get('retry-after')));
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new PaperboyError('SOURCE', `Hugging Face answered HTTP ${response.status} for ${url}; check hf.baseUrl and the date.`);
  }
  const body = await response.text();
  try {
    return JSON.parse(body);
  } catch {
    throw new PaperboyError('FEED', `Hugging Face answered ${url} with something that is not JSON; try again later or use --source sample.`);
  }
}

const unreachableCodes: Record<string, string> = {
  ENOTFOUND: 'DNS lookup failed (ENOTFOUND)',
  EAI_AGAIN: 'DNS lookup failed (EAI_AGAIN)',
  ECONNREFUSED: 'connection refused (ECONNREFUSED)',
  EHOSTUNREACH: 'no route to the host (EHOSTUNREACH)',
  ENETUNREACH: 'no network (ENETUNREACH)',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
};

/** fetch() says only "fetch failed"; the reason is in its cause (or the cause's cause). */
function unreachableReason(error: unknown): string | undefined {
  for (let cause = error as { code?: string; cause?: unknown } | undefined, depth = 0; cause && depth < 4; cause = cause.cause as typeof cause, depth++) {
    if (cause.code && unreachableCodes[cause.code]) return unreachableCodes[cause.code];
  }
  return undefined;
}

/** GET with a timeout, retrying 429 / 5xx / network errors with exponential backoff (Retry-After wins when given). */
async function fetchJson(url: string, options: HuggingFaceOptions): Promise<unknown> {
  let lastReason = '';
  let retryAfter: number | undefined;
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    if (attempt > 0) await sleep(Math.max(retryAfter ?? 0, options.backoffMs * 2 ** (attempt - 1)));
    try {
      return await fetchOnce(url, options);
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      lastReason = error.message;
      retryAfter = error.retryAfterMs === undefined ? undefined : Math.min(error.retryAfterMs, 60_000);
    }
  }
  throw new PaperboyError(
    'SOURCE',
    `Hugging Face did not answer after ${count(options.retries + 1, 'attempt')} (last: ${lastReason}); try again later or use --source sample.`,
  );
}

/**
 * The Hugging Face Daily Papers API. Asks `limit=pageSize` and follows `p=0,1,…` until a
 * short page: the API's default of 50 silently cuts busy days.
 */
export function huggingFaceSource(options: HuggingFaceOptions): PaperSource {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    name: 'hf',
    async fetchDay(day: string): Promise<FeedDay> {
      const items: unknown[] = [];
      let firstUrl = '';
      let previousFirstId: unknown;
      for (let page = 0; page < options.maxPages; page++) {
        const url = `${base}/api/daily_papers?date=${day}&limit=${options.pageSize}&p=${page}`;
        firstUrl ||= url;
        const body = await fetchJson(url, options);
        if (!Array.isArray(body)) normalizeFeed(body, day, url); // throws the FEED error that names the shape
        const pageItems = body as unknown[];
        // A server that ignores `p` would hand back page 0 forever: stop at the first repeat.
        const firstId = (pageItems[0] as { paper?: { id?: unknown } } | undefined)?.paper?.id;
        if (page > 0 && firstId !== undefined && firstId === previousFirstId) break;
        previousFirstId = firstId;
        items.push(...pageItems);
        if (pageItems.length < options.pageSize) break;
      }
      return normalizeFeed(items, day, `Hugging Face (${firstUrl})`);
    },
  };
}

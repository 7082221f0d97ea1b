import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { type HuggingFaceOptions, huggingFaceSource } from '../../src/papers/sources/hf.js';
import { loadFixture, loadItems } from '../helpers/papers.js';

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let requests: { url: URL; userAgent: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', baseUrl);
    requests.push({ url, userAgent: request.headers['user-agent'] });
    handler(request, response, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  requests = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

const options = (overrides: Partial<HuggingFaceOptions> = {}): HuggingFaceOptions => ({
  baseUrl,
  timeoutMs: 10_000,
  retries: 2,
  backoffMs: 5,
  pageSize: 100,
  maxPages: 20,
  userAgent: 'paperboy-test/1.0',
  ...overrides,
});

const sendJson = (response: ServerResponse, body: unknown, status = 200) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

/** Serves recorded days like the real API: `date` picks the day, `limit` and `p` slice it. */
const recordedDays: Handler = (_request, response, url) => {
  const day = url.searchParams.get('date') ?? '';
  if (url.pathname !== '/api/daily_papers' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return sendJson(response, { error: 'bad' }, 400);
  const limit = Number(url.searchParams.get('limit') ?? 50);
  const page = Number(url.searchParams.get('p') ?? 0);
  let items: unknown[];
  try {
    items = loadItems(day);
  } catch {
    items = [];
  }
  sendJson(response, items.slice(page * limit, (page + 1) * limit));
};

async function sourceError(promise: Promise<unknown>): Promise<PaperboyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PaperboyError);
  return error as PaperboyError;
}

describe('huggingFaceSource against a local server', () => {
  it('follows pages of 20 until a short page: all 50 papers of 2026-05-12', async () => {
    handler = recordedDays;
    const feed = await huggingFaceSource(options({ pageSize: 20 })).fetchDay('2026-05-12');
    expect(feed.papers).toHaveLength(50);
    expect(feed.skipped).toEqual([]);
    expect(feed.papers.map((p) => p.id)).toEqual(loadItems('2026-05-12').map((item) => item.paper.id));
    expect(requests.map(({ url }) => url.pathname)).toEqual(Array(3).fill('/api/daily_papers'));
    expect(requests.map(({ url }) => Object.fromEntries(url.searchParams))).toEqual([
      { date: '2026-05-12', limit: '20', p: '0' },
      { date: '2026-05-12', limit: '20', p: '1' },
      { date: '2026-05-12', limit: '20', p: '2' },
    ]);
  });

  it('asks one more page when a day fills the last page exactly', async () => {
    handler = recordedDays;
    const feed = await huggingFaceSource(options({ pageSize: 25 })).fetchDay('2026-05-12');
    expect(feed.papers).toHaveLength(50);
    expect(requests.map(({ url }) => url.searchParams.get('p'))).toEqual(['0', '1', '2']);
  });

  it('stops when a server ignores `p` and repeats page 0', async () => {
    handler = (_request, response) => sendJson(response, loadItems('2026-05-12').slice(0, 20));
    const feed = await huggingFaceSource(options({ pageSize: 20 })).fetchDay('2026-05-12');
    expect(feed.papers).toHaveLength(20);
    expect(requests).toHaveLength(2);
  });

  it('sends the User-Agent and tolerates a trailing slash in baseUrl', async () => {
    handler = recordedDays;
    const feed = await huggingFaceSource(options({ baseUrl: `${baseUrl}/` })).fetchDay('2025-01-21');
    expect(feed.papers.map((p) => p.id)).toEqual(['2501.08325']);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.userAgent).toBe('paperboy-test/1.0');
    expect(requests[0]!.url.pathname).toBe('/api/daily_papers');
  });

  it('retries a 429 and then succeeds', async () => {
    handler = (request, response, url) => {
      if (requests.length === 1) return sendJson(response, { error: 'slow down' }, 429);
      recordedDays(request, response, url);
    };
    const feed = await huggingFaceSource(options({ retries: 3 })).fetchDay('2026-08-21');
    expect(feed.papers).toHaveLength(17);
    expect(requests).toHaveLength(2);
  });

  it('gives up on 503 after retries + 1 attempts with a one-line SOURCE error', async () => {
    handler = (_request, response) => sendJson(response, { error: 'down' }, 503);
    const error = await sourceError(huggingFaceSource(options({ retries: 2 })).fetchDay('2026-08-21'));
    expect(error.code).toBe('SOURCE');
    expect(error.message).toContain('after 3 attempts');
    expect(error.message).toContain('HTTP 503');
    expect(error.message).not.toContain('\n');
    expect(requests).toHaveLength(3);
  });

  it('times out on a server that never answers', async () => {
    handler = () => {}; // keeps the request open
    const started = Date.now();
    const error = await sourceError(huggingFaceSource(options({ timeoutMs: 200, retries: 1 })).fetchDay('2026-08-21'));
    expect(error.code).toBe('SOURCE');
    expect(error.message).toContain('no answer within 200 ms');
    expect(error.message).toContain('after 2 attempts');
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('does not retry a 404', async () => {
    handler = (_request, response) => sendJson(response, { error: 'not found' }, 404);
    const error = await sourceError(huggingFaceSource(options({ retries: 4 })).fetchDay('2026-08-21'));
    expect(error.code).toBe('SOURCE');
    expect(error.message).toContain('HTTP 404');
    expect(error.message).not.toContain('\n');
    expect(requests).toHaveLength(1);
  });

  it('turns the 2025-01-10 wrapper object into a FEED error', async () => {
    handler = (_request, response) => sendJson(response, loadFixture('2025-01-10'));
    const error = await sourceError(huggingFaceSource(options()).fetchDay('2025-01-10'));
    expect(error.code).toBe('FEED');
    expect(error.message).toContain('an object with keys status, date, count, data');
    expect(requests).toHaveLength(1);
  });

  it('turns a body that is not JSON into a FEED error, without retrying', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>maintenance</html>');
    };
    const error = await sourceError(huggingFaceSource(options()).fetchDay('2025-01-10'));
    expect(error.code).toBe('FEED');
    expect(requests).toHaveLength(1);
  });

  it('an empty day is an empty feed', async () => {
    handler = recordedDays;
    const feed = await huggingFaceSource(options()).fetchDay('2030-01-01');
    expect(feed).toEqual({ day: '2030-01-01', papers: [], skipped: [] });
  });
});

describe('a network that cannot reach Hugging Face', () => {
  // The same over DNS, through the command: test/cli/preview.test.ts.
  it('a refused connection is not retried', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    requests = [];
    const error = await huggingFaceSource(options({ baseUrl: `http://127.0.0.1:${port}`, retries: 4, backoffMs: 60_000 }))
      .fetchDay('2026-08-21')
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PaperboyError);
    expect((error as PaperboyError).message).toBe(
      `Cannot reach 127.0.0.1:${port}: connection refused (ECONNREFUSED). Check the network (or hf.baseUrl), or use --source sample.`,
    );
  });
});

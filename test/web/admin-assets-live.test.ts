import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { adminAssetRoutes } from '../../src/web/admin/assets.js';
import { liveFeed } from '../../src/web/admin/live.js';

describe('the admin assets', () => {
  it('serves the chart library from node_modules and our own files, compressed when asked, and nothing else', async () => {
    const app = Fastify();
    adminAssetRoutes(app);
    try {
      const plot = await app.inject({ url: '/admin/assets/plot.umd.min.js', headers: { 'accept-encoding': 'gzip' } });
      expect(plot.statusCode).toBe(200);
      expect(plot.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(plot.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(plot.rawPayload).toString()).toMatch(/^\/\/ @observablehq\/plot v0\.6\.\d+/);
      const d3 = await app.inject({ url: '/admin/assets/d3.min.js' });
      expect(d3.headers['content-encoding']).toBeUndefined();
      expect(d3.body).toMatch(/^\/\/ https:\/\/d3js\.org v7/);
      expect((await app.inject({ url: '/admin/assets/admin.css' })).body).toContain('--series-active');
      expect((await app.inject({ url: '/admin/assets/charts.js', headers: { 'accept-encoding': 'br' } })).headers['content-encoding']).toBe('br');
      for (const name of ['constructor', '..%2Fassets.ts', 'preview.js']) expect((await app.inject({ url: `/admin/assets/${name}` })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});

/** Reads server-sent events from a response body as they come. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return async (): Promise<{ event: string; data: string }> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) return { event, data };
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += value;
    }
  };
}

describe('the live event stream', () => {
  it('sends the fragment at once, again when it changes, and ends when the server closes', async () => {
    const app = Fastify();
    let fragment = '<p>700 of 1,200 done</p>';
    let renders = 0;
    const live = liveFeed(
      app,
      async () => {
        renders++;
        return fragment;
      },
      20,
    );
    app.get('/events', (request, reply) => live.open(request, reply));
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${origin}/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const next = eventReader(response.body!);
    const first = await next();
    expect(first.event).toBe('progress');
    expect(JSON.parse(first.data)).toMatchObject({ html: '<p>700 of 1,200 done</p>' });
    const seen = renders;
    await expect.poll(() => renders).toBeGreaterThan(seen + 2); // looked again, unchanged: nothing sent
    fragment = '<p>1,200 of 1,200 done</p>\n<p>second line</p>';
    const second = await next();
    expect(JSON.parse(second.data).html).toBe(fragment);
    await app.close(); // would wait for the open stream if the stream did not end
    await expect(next()).rejects.toThrow('the stream ended');
  });

  it('renders once a look for every open stream, gives a newcomer the latest at once, and stops looking when the last one leaves', async () => {
    // undici opens a spare connection after an aborted fetch that never carries a request; close it too.
    const app = Fastify({ forceCloseConnections: true });
    let renders = 0;
    const live = liveFeed(app, async () => `<p>${++renders}</p>`, 50);
    app.get('/events', (request, reply) => live.open(request, reply));
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const aborts = [new AbortController(), new AbortController()];
      const [one, two] = await Promise.all(aborts.map(async (abort) => eventReader((await fetch(`${origin}/events`, { signal: abort.signal })).body!)));
      const firsts = await Promise.all([one!(), two!()]);
      const seconds = await Promise.all([one!(), two!()]);
      // Both streams see the same looks, each rendered once: consecutive numbers, the same on both.
      const look = (event: { data: string }) => Number(/<p>(\d+)<\/p>/.exec(JSON.parse(event.data).html)![1]);
      expect(look(seconds[0]!)).toBe(look(seconds[1]!));
      expect(Math.abs(look(firsts[0]!) - look(firsts[1]!))).toBeLessThanOrEqual(1); // the second may have joined between looks
      expect(renders).toBeLessThanOrEqual(look(seconds[0]!) + 1);
      for (const abort of aborts) abort.abort();
      await expect
        .poll(async () => {
          const before = renders;
          await new Promise((resolve) => setTimeout(resolve, 200));
          return renders - before;
        })
        .toBe(0);
    } finally {
      await app.close();
    }
  });
});

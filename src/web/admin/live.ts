import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How long after one look the next one starts; a look sends only when the fragment changed. */
export const liveIntervalMs = 1000;
/** A comment this often keeps proxies from closing a quiet stream. */
const keepAliveMs = 15_000;

/** One server-sent event; `data` is JSON, one line, so no line of it can end the event early. */
export const sseEvent = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export interface LiveFeed {
  /** Answers the request with the event stream: the latest fragment at once, then each change. */
  open(request: FastifyRequest, reply: FastifyReply): FastifyReply;
}

/**
 * Server-sent events of one HTML fragment (EventSource in the browser; nothing to install). One
 * loop renders it for every open stream alike, so ten open pages cost the store what one does:
 * it runs while a stream is open, starting the next look `intervalMs` after the last one ended,
 * and streams end when their client leaves or the server closes (app.close() would otherwise wait
 * for every open page).
 */
export function liveFeed(app: FastifyInstance, render: () => Promise<string>, intervalMs = liveIntervalMs): LiveFeed {
  const streams = new Set<PassThrough>();
  let last: { fragment: string; event: string } | undefined;
  let running = false;
  let quietSince = Date.now();

  const broadcast = (text: string) => {
    for (const stream of streams) stream.write(text);
  };
  const look = async () => {
    const fragment = await render();
    if (fragment !== last?.fragment) {
      last = { fragment, event: sseEvent('progress', { at: new Date().toISOString(), html: fragment }) };
      quietSince = Date.now();
      broadcast(last.event);
    } else if (Date.now() - quietSince >= keepAliveMs) {
      quietSince = Date.now();
      broadcast(': still here\n\n');
    }
  };
  const loop = async () => {
    running = true;
    while (streams.size > 0) {
      await look().catch((error: Error) => app.log.error({ err: error.message }, 'live update failed'));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    running = false;
    last = undefined; // the next page to open gets a fresh look, not a stale fragment
  };

  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });
  return {
    open(_request, reply) {
      const stream = new PassThrough();
      streams.add(stream);
      const stop = () => {
        streams.delete(stream);
        if (!stream.writableEnded) stream.end();
      };
      reply.raw.once('close', stop); // the response, not the request: a GET's request 'closes' once read
      stream.write('retry: 3000\n\n');
      if (last) stream.write(last.event);
      if (!running) void loop();
      return reply
        .type('text/event-stream; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-accel-buffering', 'no') // nginx: pass each event on as it comes
        .send(stream);
    },
  };
}

import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How often a stream looks for news; it sends only when the fragment changed. */
export const liveIntervalMs = 1000;
/** A comment this often keeps proxies from closing a quiet stream. */
const keepAliveMs = 15_000;

/** One server-sent event; `data` is JSON, one line, so no line of it can end the event early. */
export const sseEvent = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export interface LiveStreams {
  /** Answers the request with an event stream of `render()`'s fragment, sent at once and again whenever it changes. */
  open(request: FastifyRequest, reply: FastifyReply, render: () => Promise<string>): FastifyReply;
}

/**
 * Server-sent events for the admin pages (EventSource in the browser; nothing to install). Each
 * stream polls its own `render` every second while the page is open, and ends when the client
 * leaves or the server closes (app.close() would otherwise wait for every open page).
 */
export function liveStreams(app: FastifyInstance, intervalMs = liveIntervalMs): LiveStreams {
  const open = new Set<PassThrough>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });
  return {
    open(request, reply, render) {
      const stream = new PassThrough();
      open.add(stream);
      let last: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      let quietSince = Date.now();
      const tick = async () => {
        try {
          const fragment = await render();
          if (stream.writableEnded) return;
          if (fragment !== last) {
            last = fragment;
            quietSince = Date.now();
            stream.write(sseEvent('progress', { at: new Date().toISOString(), html: fragment }));
          } else if (Date.now() - quietSince >= keepAliveMs) {
            quietSince = Date.now();
            stream.write(': still here\n\n');
          }
        } catch (error) {
          request.log.error({ err: (error as Error).message }, 'live update failed');
        }
        if (!stream.writableEnded) timer = setTimeout(tick, intervalMs);
      };
      const stop = () => {
        clearTimeout(timer);
        open.delete(stream);
        if (!stream.writableEnded) stream.end();
      };
      reply.raw.once('close', stop); // the response, not the request: a GET's request 'closes' once read
      stream.once('close', stop);
      stream.write('retry: 3000\n\n');
      void tick();
      return reply
        .type('text/event-stream; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-accel-buffering', 'no') // nginx: pass each event on as it comes
        .send(stream);
    },
  };
}

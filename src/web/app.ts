import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { packageRoot } from '../paths.js';
import type { WebDeps } from './context.js';
import { html, page } from './html.js';
import { archiveRoutes } from './routes/archive.js';
import { preferencesRoutes } from './routes/preferences.js';
import { previewRoutes } from './routes/preview.js';
import { subscribeRoutes } from './routes/subscribe.js';
import { confirmRoutes, unsubscribeRoutes } from './routes/tokens.js';
import { loggedUrl, securityHeaders } from './security.js';

const staticDir = join(packageRoot, 'src', 'web', 'static');
const staticFiles: Record<string, { type: string; body: string }> = {
  'site.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(staticDir, 'site.css'), 'utf8') },
  'preview.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(staticDir, 'preview.js'), 'utf8') },
};

/** The web app, apart from listen(): tests drive it with inject(), `paperboy serve` listens. */
export async function buildApp(deps: WebDeps): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 16 * 1024,
    trustProxy: deps.config.web.trustProxy,
    logger:
      deps.logger === undefined || deps.logger === false
        ? false
        : {
            ...(typeof deps.logger === 'object' ? deps.logger : {}),
            // Paths only: the tokens in query strings never reach a log.
            serializers: { req: (request: { method: string; url: string }) => ({ method: request.method, url: loggedUrl(request.url) }) },
          },
  });
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  // RFC 8058 one-click unsubscribes SHOULD arrive as multipart/form-data ("List-Unsubscribe=One-Click");
  // the token is in the URL, so the body is read (within the limit) and dropped rather than refused with 415.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, _body, done) => done(null, {}));
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `Too many attempts; try again in ${context.after}.` }),
  });
  app.addHook('onSend', securityHeaders);
  app.setErrorHandler(async (error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error.message }, 'request failed');
    const message = status === 429 ? error.message : status === 413 ? 'That was too much data.' : status < 500 ? 'That request could not be understood.' : 'Something went wrong on our side; try again later.';
    return reply.code(status).type('text/html; charset=utf-8').send(page('Error', html`<h1>${status === 429 ? 'Slow down' : 'Sorry'}</h1><p>${message}</p><p><a href="/">Back</a></p>`));
  });
  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).type('text/html; charset=utf-8').send(page('Not found', html`<h1>Not found</h1><p><a href="/">Subscribe</a> · <a href="/archive">Past editions</a></p>`)),
  );

  app.get<{ Params: { file: string } }>('/static/:file', async (request, reply) => {
    const file = staticFiles[request.params.file];
    if (!file) return reply.callNotFound();
    return reply.type(file.type).header('cache-control', 'public, max-age=3600').send(file.body);
  });
  app.get('/healthz', async () => ({ ok: true }));

  subscribeRoutes(app, deps);
  confirmRoutes(app, deps);
  unsubscribeRoutes(app, deps);
  preferencesRoutes(app, deps);
  archiveRoutes(app, deps);
  if (deps.dev) previewRoutes(app, deps);
  return app;
}

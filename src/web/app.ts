import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import type { Config } from '../config/index.js';
import { packageRoot } from '../paths.js';
import { adminRoutes } from './admin/index.js';
import { Background } from './background.js';
import type { WebDeps } from './context.js';
import { html, page } from './html.js';
import { archiveRoutes } from './routes/archive.js';
import { confirmRoutes } from './routes/confirm.js';
import { searchRoutes } from './routes/search.js';
import { preferencesRoutes } from './routes/preferences.js';
import { previewRoutes } from './routes/preview.js';
import { subscribeRoutes } from './routes/subscribe.js';
import { resubscribeRoutes, unsubscribeRoutes } from './routes/tokens.js';
import { webhookRoutes } from './routes/webhooks.js';
import { clientErrorResponse, errorPage, headersFor, loggedUrl, securityHeaders } from './security.js';

const staticDir = join(packageRoot, 'src', 'web', 'static');
// A Map, not an object: a name such as "constructor" or "__proto__" must find nothing.
const staticFiles = new Map<string, { type: string; body: string }>([
  ['site.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(staticDir, 'site.css'), 'utf8') }],
  ['preview.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(join(staticDir, 'preview.js'), 'utf8') }],
]);

declare module 'fastify' {
  interface FastifyInstance {
    /** Work that runs after replies (subscribe); `await app.background.idle()` waits for it. */
    background: Background;
  }
}

/**
 * Which X-Forwarded-For hops to believe: none, the nearest `count` (hop 0 is the socket's own
 * peer), or the listed proxy addresses. `true` never gets here (the config refuses it).
 */
function trustedProxies(setting: Config['web']['trustProxy']): false | string | string[] | ((address: string, hop: number) => boolean) {
  if (setting === false || setting === true) return false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

/** The web app, apart from listen(): tests drive it with inject(), `paperboy serve` listens. */
export async function buildApp(deps: WebDeps): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 16 * 1024,
    trustProxy: trustedProxies(deps.config.web.trustProxy),
    // Errors raised before routing (a malformed URL, a parameter too long): the same headers and
    // page as every other error, and nothing from the request echoed back.
    frameworkErrors: (error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      const code = status >= 400 && status < 500 ? status : 400;
      void (reply as FastifyReply).code(code).headers(headersFor('page', false)).type('text/html; charset=utf-8').send(errorPage(code));
    },
    // Requests Node's parser refuses (400, 431 headers too large) never reach Fastify: answer them alike.
    clientErrorHandler: (error, socket) => {
      if (socket.writable) socket.end(clientErrorResponse((error as { code?: string }).code === 'HPE_HEADER_OVERFLOW' ? 431 : 400));
      else socket.destroy(error);
    },
    logger: deps.logger === undefined || deps.logger === false ? false : { ...(typeof deps.logger === 'object' ? deps.logger : {}) },
    // One line per request (the onResponse hook below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // Forms only: a JSON or text body on a form route is refused (415) rather than half-understood.
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  // RFC 8058 one-click unsubscribes SHOULD arrive as multipart/form-data ("List-Unsubscribe=One-Click");
  // the token is in the URL, so the body is read (within the limit) and dropped rather than refused with 415.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, _body, done) => done(null, {}));
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `Too many attempts; try again in ${context.after}.` }),
  });
  app.addHook('onSend', securityHeaders);
  // Paths only: the tokens in query strings never reach a log. No hook at all when nothing is logged.
  if (deps.logger) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.info({ method: request.method, url: loggedUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
      done();
    });
  }
  app.setErrorHandler(async (error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error.message }, 'request failed');
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(errorPage(status, status === 429 ? error.message : undefined));
  });
  const background = new Background(app.log);
  app.decorate('background', background);
  app.addHook('onClose', async () => background.idle());
  app.setNotFoundHandler(async (_request, reply) =>
    reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(page('Not found', html`<h1>Not found</h1><p><a href="/">Subscribe</a> · <a href="/archive">Past editions</a></p>`)),
  );

  app.get<{ Params: { file: string } }>('/static/:file', async (request, reply) => {
    const file = staticFiles.get(request.params.file);
    if (!file) return reply.callNotFound();
    return reply.type(file.type).header('cache-control', 'public, max-age=3600').send(file.body);
  });
  app.get('/healthz', async () => ({ ok: true }));

  subscribeRoutes(app, deps, background);
  confirmRoutes(app, deps);
  resubscribeRoutes(app, deps);
  unsubscribeRoutes(app, deps);
  preferencesRoutes(app, deps);
  archiveRoutes(app, deps);
  searchRoutes(app, deps);
  webhookRoutes(app, deps);
  if (deps.dev) previewRoutes(app, deps);
  await adminRoutes(app, deps);
  return app;
}

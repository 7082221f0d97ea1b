import { type FSWatcher, watch } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { messageOf } from '../../errors.js';
import { bundledTemplatesDir } from '../../paths.js';
import { loadDayPapers, renderSampleDigest } from '../../pipeline/index.js';
import { forgetTemplates, loadTemplates } from '../../render/index.js';
import type { WebDeps } from '../context.js';
import { html, page } from '../html.js';
import { headersFor } from '../security.js';

/**
 * The operator's live preview (`serve --dev` only): the digest from the current templates and the
 * bundled sample papers at 600 px and 375 px, reloaded whenever a template file changes.
 */
export function previewRoutes(app: FastifyInstance, deps: WebDeps): void {
  const templatesDir = deps.config.templates ?? bundledTemplatesDir;
  const listeners = new Set<(event: string, data: string) => void>();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(templatesDir, { recursive: true }, () => {
      forgetTemplates();
      loadTemplates(deps.config.templates).then(
        () => {
          for (const send of listeners) send('reload', 'changed');
        },
        (error: unknown) => {
          for (const send of listeners) send('failed', messageOf(error));
        },
      );
    });
  } catch (error) {
    app.log.warn({ err: messageOf(error) }, 'template folder not watched: the preview will not reload by itself');
  }
  app.addHook('onClose', async () => watcher?.close());

  app.get('/preview', { config: { policy: 'preview' } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(
      page(
        'Template preview',
        html`<h1>Template preview</h1>
<p class="muted">From ${templatesDir} with the bundled sample papers. <span id="status" role="status">Watching for changes…</span></p>
<div class="frames">
<figure><figcaption>600 px (desktop)</figcaption><iframe title="Digest at 600 pixels" src="/preview/digest" width="600"></iframe></figure>
<figure><figcaption>375 px (phone)</figcaption><iframe title="Digest at 375 pixels" src="/preview/digest" width="375"></iframe></figure>
</div>
<script src="/static/preview.js"></script>`,
      ).replace('<body>', '<body class="preview">'),
    ),
  );

  app.get('/preview/digest', { config: { policy: 'frame' } }, async (_request, reply) => {
    const config = { ...deps.config, source: 'sample' };
    try {
      const rendered = await renderSampleDigest(config, await loadDayPapers(config));
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(rendered.html);
    } catch (error) {
      return reply
        .code(500)
        .type('text/html; charset=utf-8')
        .send(page('Template error', html`<h1>Template error</h1><p class="error">${messageOf(error)}</p>`));
    }
  });

  app.get('/preview/events', async (request, reply) => {
    reply.hijack();
    // Hijacked: onSend does not run, so the stream carries the same headers itself.
    reply.raw.writeHead(200, { ...headersFor('preview', false), 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const send = (event: string, data: string) => reply.raw.write(`event: ${event}\ndata: ${data.replace(/\n/g, ' ')}\n\n`);
    listeners.add(send);
    request.raw.on('close', () => listeners.delete(send));
  });
}

import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Edition } from '../../editions/index.js';
import { editionTitle, parseEditionKey } from '../../papers/index.js';
import { compileSources, editionView, renderWebEdition } from '../../render/index.js';
import { count } from '../../words.js';
import type { WebDeps } from '../context.js';
import { escapeHtml, html, page } from '../html.js';

/** A page as bytes, and compressed once (browsers ask for br or gzip: ~4 KB instead of ~33 KB). */
interface CachedPage {
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/** Rendered archive pages by edition: an edition is frozen, so its page never changes. */
class PageCache {
  private readonly pages = new Map<number, CachedPage>();
  constructor(private readonly size: number) {}
  async get(id: number, render: () => Promise<string | undefined>): Promise<CachedPage | undefined> {
    let cached = this.pages.get(id);
    if (cached === undefined) {
      const page = await render();
      if (page === undefined) return undefined;
      const identity = Buffer.from(page);
      cached = {
        identity,
        gzip: gzipSync(identity, { level: 9 }),
        br: brotliCompressSync(identity, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
      };
      if (this.pages.size >= this.size) this.pages.delete(this.pages.keys().next().value!);
      this.pages.set(id, cached);
    }
    return cached;
  }
}

const acceptsCoding = (name: string) => new RegExp(`(^|,)\\s*${name}\\s*(;\\s*q=(?!0(\\.0*)?\\s*(,|$))[0-9.]+)?\\s*(,|$)`);
const acceptsBrotli = acceptsCoding('br');
const acceptsGzip = acceptsCoding('gzip');

/** The best encoding the client accepts (a q=0 refuses). */
export function pickEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  const offered = header.toLowerCase();
  if (acceptsBrotli.test(offered)) return 'br';
  if (acceptsGzip.test(offered)) return 'gzip';
  return undefined;
}

/** The edition as a web page: its own frozen templates, no subscriber in it. */
export function renderArchivePage(deps: WebDeps, edition: Edition): string {
  const base = deps.config.newsletter.baseUrl.replace(/\/+$/, '');
  const view = editionView({ day: edition.day, papers: edition.papers, newsletter: deps.config.newsletter });
  return renderWebEdition(compileSources(edition.templates), view, {
    subscribe: `${base}/`,
    archive: `${base}/archive`,
    webVersion: `${base}/archive/${edition.day}`,
  });
}

const xml = escapeHtml;

/** A real day ("2026-08-21") or an ISO week that exists ("2026-W34"): the keys an archive page may have. */
function isEditionKey(key: string): boolean {
  try {
    return parseEditionKey(key) === key;
  } catch {
    return false;
  }
}

export function archiveRoutes(app: FastifyInstance, deps: WebDeps): void {
  const cache = new PageCache(64);
  // Which edition a day shows, remembered for a few seconds: the page is hot, a new edition is rare.
  const dayIds = new Map<string, { id: number | undefined; until: number }>();
  const latestIdOfDay = async (day: string) => {
    const known = dayIds.get(day);
    if (known && known.until > Date.now()) return known.id;
    const id = await deps.editions.latestIdOfDay(day);
    if (dayIds.size > 1000) dayIds.clear();
    dayIds.set(day, { id, until: Date.now() + 5000 });
    return id;
  };
  const base = deps.config.newsletter.baseUrl.replace(/\/+$/, '');

  app.get('/archive', async (_request, reply) => {
    const days = await deps.editions.archiveDays(366);
    const list = days.length
      ? html`<ul class="archive">${days.map((entry) => html`<li><a href="/archive/${entry.day}">${editionTitle(entry.day)}</a> <span class="muted">· ${count(entry.papers, 'paper')}</span></li>`)}</ul>`
      : html`<p>No editions yet.</p>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(
        page(
          `${deps.config.newsletter.name} archive`,
          html`<h1>Past editions</h1>${list}<p class="muted"><a href="/archive.xml">Atom feed</a> · <a href="/">Subscribe</a></p>`,
        ),
      );
  });

  app.get<{ Params: { day: string } }>('/archive/:day', { config: { policy: 'email' } }, async (request, reply) => {
    const day = request.params.day;
    if (!isEditionKey(day)) {
      return reply.code(404).type('text/html; charset=utf-8').send(page('Not found', html`<h1>No such edition</h1><p><a href="/archive">All editions</a></p>`));
    }
    const id = await latestIdOfDay(day);
    const body =
      id === undefined
        ? undefined
        : await cache.get(id, async () => {
            const edition = await deps.editions.findById(id);
            return edition && renderArchivePage(deps, edition);
          });
    if (!body)
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(page('Not found', html`<h1>No edition on ${day}</h1><p><a href="/archive">All editions</a></p>`));
    const encoding = pickEncoding(request.headers['accept-encoding']);
    reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=3600').header('vary', 'accept-encoding');
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(encoding ? body[encoding] : body.identity);
  });

  app.get('/archive.xml', async (_request, reply) =>
    reply.type('application/atom+xml; charset=utf-8').send(atomFeed(deps.config.newsletter.name, base, await deps.editions.archiveDays(50))),
  );
}

// Atom, written by hand: a dozen elements do not need a feed library.
function atomFeed(name: string, base: string, days: Awaited<ReturnType<WebDeps['editions']['archiveDays']>>): string {
  const updated = days[0]?.createdAt ?? new Date(0).toISOString();
  const entries = days
    .map(
      (entry) => `  <entry>
    <title>${xml(`${name} — ${editionTitle(entry.day)}`)}</title>
    <link href="${xml(`${base}/archive/${entry.day}`)}"/>
    <id>${xml(`${base}/archive/${entry.day}`)}</id>
    <updated>${xml(entry.createdAt)}</updated>
    <summary>${entry.papers} trending papers</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${xml(name)}</title>
  <link href="${xml(`${base}/archive.xml`)}" rel="self"/>
  <link href="${xml(`${base}/archive`)}"/>
  <id>${xml(`${base}/archive`)}</id>
  <updated>${xml(updated)}</updated>
${entries}
</feed>
`;
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Edition } from '../../editions/index.js';
import { editionTitle, parseEditionKey } from '../../papers/index.js';
import { compileSources, editionView, renderWebEdition } from '../../render/index.js';
import { count } from '../../words.js';
import type { WebDeps } from '../context.js';
import { escapeHtml, html, page } from '../html.js';
import { type CachedPage, cachedPage, sendCached } from './cached-page.js';

/** How long a day's page, the archive list and the feed are served as made before the store is asked again: a new edition is rare, the pages are hot. */
const freshMs = 5000;

/** Values made at most once per freshMs per key, at most `size` keys kept (the oldest go first); requests during a making share it. */
class FreshFor<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  private readonly making = new Map<string, Promise<T>>();
  constructor(private readonly size: number) {}
  /** The value at once while it is fresh (no promise: the hot path takes no extra turn), else a promise of a new one. */
  get(key: string, make: () => Promise<T>): T | Promise<T> {
    const known = this.entries.get(key);
    const now = Date.now();
    if (known && known.until > now) return known.value;
    let made = this.making.get(key);
    if (!made) {
      made = make()
        .then((value) => {
          this.entries.delete(key);
          if (this.entries.size >= this.size) this.entries.delete(this.entries.keys().next().value!);
          this.entries.set(key, { value, until: now + freshMs });
          return value;
        })
        .finally(() => this.making.delete(key));
      this.making.set(key, made);
    }
    return made;
  }
}

/** What a handler gives Fastify: nothing once it has answered, or a promise of the answer. */
type Answered = FastifyReply | Promise<FastifyReply | undefined> | undefined;

/** Answers with `made` now when it is at hand, or once it is made (a handler that returns nothing has answered). */
const whenMade = <T>(made: T | Promise<T>, answer: (value: T) => Answered): Promise<FastifyReply | undefined> | undefined => {
  if (made instanceof Promise) return made.then(answer);
  const answered = answer(made);
  return answered instanceof Promise ? answered : undefined;
};

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
  // An edition is frozen: its page is made once (by id), whichever day asks for it; the newest 64 are kept.
  const editionPages = new Map<number, CachedPage>();
  const pageOfEdition = (id: number): CachedPage | Promise<CachedPage | undefined> => {
    const known = editionPages.get(id);
    if (known) return known;
    return deps.editions.findById(id).then((edition) => {
      if (!edition) return undefined;
      const made = cachedPage(renderArchivePage(deps, edition), 'text/html; charset=utf-8', 'public, max-age=3600');
      if (editionPages.size >= 64) editionPages.delete(editionPages.keys().next().value!);
      editionPages.set(id, made);
      return made;
    });
  };
  // Which edition a day shows (its newest), asked of the store at most every few seconds; whether
  // the key is a day or week at all is remembered with it (checking a date is not free). Ids only:
  // the pages themselves stay within editionPages' bound.
  const dayEditions = new FreshFor<number | 'not a key' | undefined>(1000);
  const lists = new FreshFor<CachedPage>(2);
  const base = deps.config.newsletter.baseUrl.replace(/\/+$/, '');

  const listPage = async () => {
    const days = await deps.editions.archiveDays(366);
    const list = days.length
      ? html`<ul class="archive">${days.map((entry) => html`<li><a href="/archive/${entry.day}">${editionTitle(entry.day)}</a> <span class="muted">· ${count(entry.papers, 'paper')}</span></li>`)}</ul>`
      : html`<p>No editions yet.</p>`;
    const text = page(
      `${deps.config.newsletter.name} archive`,
      html`<h1>Past editions</h1>${list}<p class="muted"><a href="/archive.xml">Atom feed</a> · <a href="/">Subscribe</a></p>`,
    );
    return cachedPage(text, 'text/html; charset=utf-8', 'public, max-age=300');
  };
  const feed = async () =>
    cachedPage(atomFeed(deps.config.newsletter.name, base, await deps.editions.archiveDays(50)), 'application/atom+xml; charset=utf-8', 'public, max-age=300');

  app.get('/archive', (request, reply) => whenMade(lists.get('html', listPage), (made) => sendCached(request, reply, made)));
  app.get('/archive.xml', (request, reply) => whenMade(lists.get('atom', feed), (made) => sendCached(request, reply, made)));

  const answerDay = (request: FastifyRequest<{ Params: { day: string } }>, reply: FastifyReply, made: CachedPage | 'not a key' | undefined) => {
    if (made === 'not a key') {
      return reply.code(404).type('text/html; charset=utf-8').send(page('Not found', html`<h1>No such edition</h1><p><a href="/archive">All editions</a></p>`));
    }
    if (!made) {
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(page('Not found', html`<h1>No edition on ${request.params.day}</h1><p><a href="/archive">All editions</a></p>`));
    }
    return sendCached(request, reply, made);
  };

  app.get<{ Params: { day: string } }>('/archive/:day', { config: { policy: 'email' } }, (request, reply) => {
    const day = request.params.day;
    const edition = dayEditions.get(day, async () => (isEditionKey(day) ? deps.editions.latestIdOfDay(day) : 'not a key'));
    // The hot path, taken by nearly every request: a fresh edition id whose page is made.
    const page = typeof edition === 'number' ? editionPages.get(edition) : undefined;
    if (page) {
      sendCached(request, reply, page);
      return;
    }
    return (async () => {
      const id = await edition;
      return answerDay(request, reply, typeof id === 'number' ? await pageOfEdition(id) : id);
    })();
  });
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

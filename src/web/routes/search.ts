import type { FastifyInstance } from 'fastify';
import type { WebDeps } from '../context.js';
import { page } from '../html.js';
import { engineMatch } from '../../search/index.js';
import { rangeOf, resultsPerPage, searchPage } from '../search/index.js';

interface SearchQuery {
  q?: string | string[];
  period?: string;
  date?: string;
  day?: string;
  page?: string;
}

/** At most this many searches at once (a reader keeps at most 5 alerts) and pages deep. */
const maxQueries = 5;
const maxPage = 500;

/** GET /search: every archived paper, with the stores' own full-text engines; a plain form, no JavaScript. */
export function searchRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get<{ Querystring: SearchQuery }>('/search', async (request, reply) => {
    const queries = [request.query.q ?? []]
      .flat()
      .map((q) => String(q).replace(/\s+/g, ' ').trim().slice(0, 200))
      .filter(Boolean)
      .slice(0, maxQueries);
    const newest = await deps.papers.newestDay();
    const range = rangeOf(request.query, newest);
    const pageNumber = Math.min(maxPage, Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1));
    const match = queries.length > 0 ? engineMatch(queries) : undefined;
    const results =
      queries.length === 0
        ? undefined
        : match
          ? await deps.papers.searchPapers(match, {
              ...(range.from ? { from: range.from } : {}),
              ...(range.to ? { to: range.to } : {}),
              limit: resultsPerPage,
              offset: (pageNumber - 1) * resultsPerPage,
            })
          : { total: 0, hits: [] };
    const title = queries.length ? `${queries.join(' or ')} — search` : 'Search papers';
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(page(title, searchPage({ queries, range, page: pageNumber, ...(results ? { results } : {}), archived: newest !== undefined })));
  });
}

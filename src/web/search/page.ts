import { arxivUrl, dayRange, huggingFacePaperUrl, longDay, type Paper } from '../../papers/index.js';
import { count } from '../../words.js';
import { type Html, html } from '../html.js';
import { type Period, periods, type SearchRange } from './range.js';

/** Results per page. */
export const resultsPerPage = 20;

export interface SearchResults {
  total: number;
  /** More matched than a search ranks: the newest `total` were ranked, from this day on. */
  rankedSince?: string;
  hits: readonly { paper: Paper; edition?: { day: string } }[];
}

export interface SearchPageInput {
  queries: readonly string[];
  range: SearchRange;
  /** 1-based. */
  page: number;
  results?: SearchResults;
  /** What the archive holds: no day yet means nothing was ever fetched or sent. */
  archived: boolean;
}

const periodLabels: Record<Period, string> = { all: 'All days', day: 'Day', week: 'Week', month: 'Month' };

function rangeText(range: SearchRange): string {
  if (!range.from || !range.to) return 'every day';
  return range.from === range.to ? longDay(range.from) : dayRange(range.from, range.to);
}

/** A link to another page of the same search. */
function pageLink(input: SearchPageInput, page: number): string {
  const query = new URLSearchParams(input.queries.map((q): [string, string] => ['q', q]));
  if (input.range.period !== 'all') query.set('period', input.range.period);
  if (input.range.date && input.range.period !== 'all') query.set('date', input.range.date);
  if (page > 1) query.set('page', String(page));
  return `/search?${query}`;
}

const shortAuthors = (authors: readonly string[]) =>
  authors.length <= 3 ? authors.join(', ') : `${authors.slice(0, 3).join(', ')} and ${count(authors.length - 3, 'other')}`;

const snippet = (text: string) => (text.length > 320 ? `${text.slice(0, 320).replace(/\s+\S*$/, '')} …` : text);

function result(hit: SearchResults['hits'][number]): Html {
  const { paper, edition } = hit;
  return html`<li><h2><a href="${huggingFacePaperUrl(paper.id)}">${paper.title}</a></h2>
<p class="muted">${longDay(paper.day)} · <span aria-hidden="true">▲</span> ${count(paper.upvotes, 'upvote')}${paper.authors.length ? html` · ${shortAuthors(paper.authors)}` : ''}</p>
<p>${snippet(paper.aiSummary ?? paper.summary)}</p>
<p class="muted">${edition ? html`<a href="/archive/${edition.day}">In the edition of ${longDay(edition.day)}</a> · ` : ''}<a href="${arxivUrl(paper.id)}">${paper.id} on arXiv</a></p></li>`;
}

function form(input: SearchPageInput): Html {
  const value = input.queries.join(' OR ');
  return html`<form method="get" action="/search" role="search">
<label for="q">Search every paper</label>
<input id="q" name="q" type="search" value="${value}" placeholder="mixture of experts">
<fieldset><legend>When</legend>
${periods.map((period) => html`<label><input type="radio" name="period" value="${period}"${input.range.period === period ? html` checked` : ''}> ${periodLabels[period]}</label>`)}
<label for="date">Around the day</label>
<input id="date" name="date" type="date" value="${input.range.date ?? ''}">
</fieldset>
<button type="submit">Search</button>
</form>`;
}

function results(input: SearchPageInput): Html {
  if (!input.archived) return html`<p>No papers are kept yet: every day that is fetched for an edition or sent is kept here.</p>`;
  const found = input.results;
  if (!found) return html``;
  const label = input.queries.map((q) => `“${q}”`).join(' or ');
  if (found.total === 0) return html`<p>No paper matches ${label} on ${rangeText(input.range)}.</p>`;
  const pages = Math.ceil(found.total / resultsPerPage);
  const first = (input.page - 1) * resultsPerPage + 1;
  const summary = found.rankedSince
    ? html`More than ${count(found.total, 'paper')} match ${label} on ${rangeText(input.range)}: the newest ${found.total}, from ${found.rankedSince} on, most relevant first. Choose a month or a day to see earlier ones.`
    : html`${count(found.total, 'paper')} ${found.total === 1 ? 'matches' : 'match'} ${label} on ${rangeText(input.range)}, most relevant first.`;
  return html`<p class="muted">${summary}</p>
<ol class="results" start="${first}">${found.hits.map(result)}</ol>
${
  pages > 1
    ? html`<nav aria-label="Result pages"><p>${input.page > 1 ? html`<a href="${pageLink(input, input.page - 1)}" rel="prev">Previous</a> · ` : ''}Page ${input.page} of ${pages}${
        input.page < pages ? html` · <a href="${pageLink(input, input.page + 1)}" rel="next">Next</a>` : ''
      }</p></nav>`
    : ''
}`;
}

/**
 * "Get this search by email": the subscribe form's double opt-in, with the search as the new
 * reader's alert; an address that already gets the digest is mailed a link to its preferences
 * page with the search ready to add (routes/subscribe.ts), and the page answers alike for both.
 */
function byEmail(input: SearchPageInput): Html {
  if (input.queries.length === 0) return html``;
  return html`<section aria-labelledby="by-email"><h2 id="by-email">Get this search by email</h2>
<p class="muted">New papers matching ${input.queries.map((q) => `“${q}”`).join(' or ')}, the morning they appear. We send a confirmation link first. Already a reader? Give the same address: we mail you a link to your preferences page with the search ready to add.</p>
<form method="post" action="/subscribe" novalidate>
<label for="alert-email">Email address</label>
<input id="alert-email" name="email" type="email" autocomplete="email" required>
${input.queries.map((q) => html`<input type="hidden" name="alerts" value="${q}">`)}
<input type="hidden" name="frequency" value="alerts">
<div class="trap" aria-hidden="true"><label for="alert-website">Leave this empty</label><input id="alert-website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">Email me new matches</button>
</form></section>`;
}

/** The search page: the form, the results with paging, and the by-email form. No JavaScript. */
export function searchPage(input: SearchPageInput): Html {
  return html`<h1>Search papers</h1>
${form(input)}
${results(input)}
${byEmail(input)}
<p class="muted"><a href="/archive">Past editions</a> · <a href="/">Subscribe</a></p>`;
}

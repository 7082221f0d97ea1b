import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edition } from '../../src/editions/index.js';
import { createOrResumeEdition } from '../../src/pipeline/index.js';
import { addPeople, sampleEdition } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';
import { baseUrl, expectSecurityHeaders, openWeb, type WebWorld, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-web-archive-');
let web: WebWorld;
let preview: WebWorld;
let first: Edition;
let second: Edition;
const subscriberEmail = 'archive.reader@example.org';

beforeAll(async () => {
  // skipRecentDays 0: the sample papers may appear on consecutive days.
  web = await openWeb(worldDir(dir.path, 'main'), { 'selection.skipRecentDays': 0 });
  await addPeople(web.world, [{ email: subscriberEmail, name: 'Archie Reader' }]);
  first = await sampleEdition(web.world, '2026-03-02');
  second = await sampleEdition(web.world, '2026-03-03');
  // A second list's edition on the same day: still one archive entry for that day.
  await web.world.subscribers.createList('weekly');
  const weekly = await createOrResumeEdition(web.world.config, web.world.editions, { list: 'weekly', day: '2026-03-03' });
  expect(weekly.kind).not.toBe('no-papers');
  preview = await openWeb(worldDir(dir.path, 'preview'), {}, { dev: true });
});
afterAll(async () => {
  await web?.close();
  await preview?.close();
  dir.remove();
});

/** A minimal well-formedness check: every element closed in order, one root. */
function expectWellFormedXml(text: string): void {
  expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
  const stack: string[] = [];
  let roots = 0;
  for (const [, closing, name, selfClosing] of text.replace(/^<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z][\w:.-]*)(?:\s[^<>]*?)?(\/?)>/g)) {
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  // No bare ampersands or stray angle brackets in text.
  expect(text.replace(/<[^<>]*>/g, '')).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|#39);)/);
}

describe('GET /archive', () => {
  it('lists each day once, newest first, with links to its page', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/archive' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expectSecurityHeaders(response);
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const links = [...response.body.matchAll(/<a href="\/archive\/(\d{4}-\d{2}-\d{2})">([^<]+)<\/a>/g)];
    expect(links.map((link) => link[1])).toEqual(['2026-03-03', '2026-03-02']);
    expect(links[1]![2]).toBe('Monday, 2 March 2026');
    expect(response.body).toContain(`${first.papers.length} papers`);
    expect(response.body).toContain('href="/archive.xml"');
    expect(response.body).not.toContain(subscriberEmail);
  });

  it('says so when there are no editions yet', async () => {
    const response = await preview.app.inject({ method: 'GET', url: '/archive' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('No editions yet.');
  });
});

describe('GET /archive/:day', () => {
  it('serves the same page compressed to a browser that asks (br before gzip), and plain to one that does not', async () => {
    const plain = await web.app.inject({ method: 'GET', url: '/archive/2026-03-02' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const brotli = await web.app.inject({ method: 'GET', url: '/archive/2026-03-02', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toBe('accept-encoding');
    expect(brotliDecompressSync(brotli.rawPayload).toString()).toBe(plain.body);
    expect(brotli.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    const gzip = await web.app.inject({ method: 'GET', url: '/archive/2026-03-02', headers: { 'accept-encoding': 'br;q=0, gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(plain.body);
  });

  it('answers a conditional GET with 304 and no body, keeping its ETag, caching and security headers', async () => {
    const url = '/archive/2026-03-02';
    const compressed = { 'accept-encoding': 'gzip, deflate, br' };
    const page = await web.app.inject({ url, headers: compressed });
    const etag = String(page.headers.etag);
    expect(etag).toMatch(/^"[\w-]+-br"$/);
    expect(page.headers['cache-control']).toBe('public, max-age=3600');
    for (const held of [etag, `W/${etag}`, `"something-else", ${etag}`, '*']) {
      const again = await web.app.inject({ url, headers: { ...compressed, 'if-none-match': held } });
      expect(again.statusCode, held).toBe(304);
      expect(again.rawPayload.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe('public, max-age=3600');
      expect(again.headers.vary).toBe('accept-encoding');
      expectSecurityHeaders(again);
    }
    const head = await web.app.inject({ method: 'HEAD', url, headers: { ...compressed, 'if-none-match': etag } });
    expect(head.statusCode).toBe(304);
    expect(head.rawPayload.length).toBe(0);
    expect(head.headers['content-length']).toBe(String(page.rawPayload.length));
    // Each coding is its own representation: the plain page's tag is another, and a br tag does not match it.
    const plain = await web.app.inject({ url });
    expect(plain.headers.etag).not.toBe(etag);
    expect((await web.app.inject({ url, headers: { 'if-none-match': etag } })).statusCode).toBe(200);
    expect((await web.app.inject({ url, headers: { 'if-none-match': String(plain.headers.etag) } })).statusCode).toBe(304);
    // Another day's page has another tag.
    const other = await web.app.inject({ url: '/archive/2026-03-03', headers: { ...compressed, 'if-none-match': etag } });
    expect(other.statusCode).toBe(200);
    expect(other.headers.etag).not.toBe(etag);
  });

  it("is the edition's digest: inline styles allowed, the papers' titles, no subscriber and no token", async () => {
    const response = await web.app.inject({ method: 'GET', url: '/archive/2026-03-02' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expectSecurityHeaders(response);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toMatch(/style-src [^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    expect(response.headers['x-frame-options']).toBe('DENY');
    const body = response.body;
    expect(first.papers.length).toBeGreaterThan(0);
    for (const paper of first.papers) expect(body).toContain(Handlebars.escapeExpression(paper.title));
    expect(body).not.toContain(subscriberEmail);
    expect(body).not.toContain('Archie Reader');
    expect(body).not.toContain('token=');
    expect(body).not.toMatch(/\/unsubscribe|\/preferences\?/);
    // Its links are public ones under the base URL.
    expect(body).toContain(`${baseUrl}/archive`);
  });

  it('serves the same page again (from its cache) and another day its own papers', async () => {
    const again = await web.app.inject({ method: 'GET', url: '/archive/2026-03-02' });
    const firstAgain = await web.app.inject({ method: 'GET', url: '/archive/2026-03-02' });
    expect(again.body).toBe(firstAgain.body);
    const other = await web.app.inject({ method: 'GET', url: '/archive/2026-03-03' });
    expect(other.statusCode).toBe(200);
    for (const paper of second.papers) expect(other.body).toContain(Handlebars.escapeExpression(paper.title));
    expect(other.body).toContain('2026');
    expect(other.body).not.toBe(again.body);
  });

  it('answers 404 for a day without an edition and for anything that is not a date', async () => {
    for (const url of ['/archive/2020-01-01', '/archive/not-a-date', '/archive/2026-02-30', '/archive/2026-3-2', '/archive/..%2F..%2Fetc%2Fpasswd']) {
      const response = await web.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expectSecurityHeaders(response);
    }
    const missing = await web.app.inject({ method: 'GET', url: '/archive/2020-01-01' });
    expect(missing.body).toContain('No edition on 2020-01-01');
    const escaped = await web.app.inject({ method: 'GET', url: '/archive/%3Cscript%3Ealert(1)%3C%2Fscript%3E' });
    expect(escaped.statusCode).toBe(404);
    expect(escaped.body).not.toContain('<script>');
  });
});

describe('GET /archive.xml', () => {
  it('is an Atom feed with one entry per edition day and links under the base URL', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/archive.xml' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expectSecurityHeaders(response);
    const feed = response.body;
    expectWellFormedXml(feed);
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(feed).toContain(`<link href="${baseUrl}/archive.xml" rel="self"/>`);
    expect(feed).toContain(`<id>${baseUrl}/archive</id>`);
    const entries = [...feed.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((match) => match[1]!);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toContain(`<link href="${baseUrl}/archive/2026-03-03"/>`);
    expect(entries[0]).toContain(`<id>${baseUrl}/archive/2026-03-03</id>`);
    expect(entries[1]).toContain(`<link href="${baseUrl}/archive/2026-03-02"/>`);
    expect(entries[1]).toContain('Monday, 2 March 2026');
    expect(entries[1]).toContain(`<summary>${first.papers.length} trending papers</summary>`);
    for (const entry of entries) expect(entry).toMatch(/<updated>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z<\/updated>/);
    expect(feed).toMatch(/<\/entry>\n<\/feed>\n?$/);
    expect(feed).not.toContain(subscriberEmail);
  });

  it('answers a conditional GET with 304, as the archive list does', async () => {
    for (const url of ['/archive.xml', '/archive']) {
      const first = await web.app.inject({ url });
      expect(first.headers.etag, url).toMatch(/^"[\w-]+"$/);
      const again = await web.app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
      expect(again.statusCode, url).toBe(304);
      expect(again.rawPayload.length).toBe(0);
      expectSecurityHeaders(again);
    }
  });

  it('escapes the newsletter name', async () => {
    const named = await openWeb(worldDir(dir.path, 'named'), { 'newsletter.name': 'Papers & <Things>' });
    try {
      await sampleEdition(named.world, '2026-03-02');
      const feed = (await named.app.inject({ method: 'GET', url: '/archive.xml' })).body;
      expectWellFormedXml(feed);
      expect(feed).toContain('<title>Papers &amp; &lt;Things&gt;</title>');
    } finally {
      await named.close();
    }
  });

  it('is an empty but valid feed before the first edition', async () => {
    const response = await preview.app.inject({ method: 'GET', url: '/archive.xml' });
    expect(response.statusCode).toBe(200);
    expectWellFormedXml(response.body);
    expect(response.body).not.toContain('<entry>');
  });
});

describe('the dev preview', () => {
  it('does not exist without dev', async () => {
    for (const url of ['/preview', '/preview/digest']) {
      const response = await web.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('with dev, GET /preview shows the digest at 600 and 375 px and may run its own script', async () => {
    const response = await preview.app.inject({ method: 'GET', url: '/preview' });
    expect(response.statusCode).toBe(200);
    expectSecurityHeaders(response);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-frame-options']).toBe('DENY');
    const frames = [...response.body.matchAll(/<iframe [^>]*src="\/preview\/digest" width="(\d+)"/g)].map((match) => match[1]);
    expect(frames).toEqual(['600', '375']);
    expect(response.body).toContain('<script src="/static/preview.js"></script>');
    expect(response.body).toContain('<body class="preview">');
    const script = await preview.app.inject({ method: 'GET', url: '/static/preview.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('GET /preview/digest is the rendered digest, framable by the preview page only', async () => {
    const response = await preview.app.inject({ method: 'GET', url: '/preview/digest' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(response.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(response);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).not.toContain('script-src');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.body).toMatch(/^<!doctype html>/i);
    expect(response.body).toContain('Paperboy Daily Papers');
    expect(response.body).toMatch(/<a [^>]*href="https?:\/\//);
  });
});

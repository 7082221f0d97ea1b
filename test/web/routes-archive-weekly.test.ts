import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edition } from '../../src/editions/index.js';
import type { Paper } from '../../src/papers/index.js';
import { loadTemplates, weeklyTemplateFiles } from '../../src/render/index.js';
import { sampleEdition } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';
import { baseUrl, expectSecurityHeaders, openWeb, type WebWorld, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-web-archive-weekly-');
let web: WebWorld;
let weekly: Edition;

/** The daily editions, in the order the archive must list them around the weekly one (its week ends on Sunday 23 August). */
const after = ['2026-09-01', '2026-08-24'];
const before = ['2026-08-23', '2026-08-21', '2026-08-17'];

beforeAll(async () => {
  // skipRecentDays 0: the sample papers may appear on consecutive days.
  web = await openWeb(worldDir(dir.path, 'main'), { 'selection.skipRecentDays': 0 });
  const week: Paper[] = [];
  for (const day of ['2026-08-21', '2026-09-01', '2026-08-17', '2026-08-24', '2026-08-23']) {
    const edition = await sampleEdition(web.world, day);
    if (day < '2026-08-24') week.push(...edition.papers.slice(0, 2));
  }
  const templates = await loadTemplates(web.world.config.templates, weeklyTemplateFiles);
  ({ edition: weekly } = await web.world.editions.create({
    list: 'default',
    day: '2026-W34',
    source: 'sample',
    papers: week,
    templates: templates.sources,
    templatesVersion: templates.version,
  }));
});
afterAll(async () => {
  await web?.close();
  dir.remove();
});

describe('a weekly edition in the archive', () => {
  it('is listed where its week ends, titled by its week', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/archive' });
    expect(response.statusCode).toBe(200);
    const links = [...response.body.matchAll(/<a href="\/archive\/([^"]+)">([^<]+)<\/a>/g)];
    expect(links.map((link) => link[1])).toEqual([...after, '2026-W34', ...before]);
    expect(links[2]![2]).toBe('Week of 17 August 2026');
    expect(links[3]![2]).toBe('Sunday, 23 August 2026');
    expect(response.body).toContain(`Week of 17 August 2026</a> <span class="muted">· ${weekly.papers.length} papers</span>`);
  });

  it('has its own page, with its papers', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/archive/2026-W34' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expectSecurityHeaders(response);
    expect(weekly.papers.length).toBe(6);
    for (const paper of weekly.papers) expect(response.body).toContain(Handlebars.escapeExpression(paper.title));
    expect(response.body).toContain('Week of 17 August 2026');
    expect(response.body).toContain(`${baseUrl}/archive`);
  });

  it('answers 404 for a week that does not exist, one without an edition, and a malformed week', async () => {
    for (const url of [
      '/archive/2026-W60',
      '/archive/2026-W00',
      '/archive/2025-W53',
      '/archive/2026-W35',
      '/archive/2026-W3',
      '/archive/2026-w34',
      '/archive/2026W34',
    ]) {
      const response = await web.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
    }
    // 2026 has 53 ISO weeks: the 53rd is a real week, without an edition here.
    expect((await web.app.inject({ method: 'GET', url: '/archive/2026-W53' })).body).toContain('No edition on 2026-W53');
  });

  it('is an entry of the Atom feed, in the same place', async () => {
    const response = await web.app.inject({ method: 'GET', url: '/archive.xml' });
    expect(response.statusCode).toBe(200);
    const entries = [...response.body.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((match) => match[1]!);
    const links = entries.map((entry) => /<link href="([^"]+)"\/>/.exec(entry)?.[1]);
    expect(links).toEqual([...after, '2026-W34', ...before].map((day) => `${baseUrl}/archive/${day}`));
    const entry = entries[2]!;
    expect(entry).toContain('<title>Paperboy Daily Papers — Week of 17 August 2026</title>');
    expect(entry).toContain(`<id>${baseUrl}/archive/2026-W34</id>`);
    expect(entry).toContain(`<summary>${weekly.papers.length} trending papers</summary>`);
    expect(entry).toContain(`<updated>${weekly.createdAt}</updated>`);
  });
});

/**
 * The admin pages through inject() on a real SQLite store: what they show, and what they change:
 * applying and dismissing a report waiting for review (the code `bounces apply` and `bounces
 * dismiss` run), unsubscribing and resubscribing a reader with a reason, each recorded in the
 * audit trail, and refused without its CSRF token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BounceEvent } from '../../src/bounces/index.js';
import { SqliteBounceStore } from '../../src/stores/sqlite/index.js';
import { type AdminBrowser, cheapAdminHash, signIn } from '../helpers/admin.js';
import { addPeople } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';
import { formBody, formHeaders, openWeb, type WebWorld, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-admin-actions-');
let web: WebWorld;
let bounces: SqliteBounceStore;
let session: AdminBrowser;
let ids: number[];

beforeAll(async () => {
  web = await openWeb(worldDir(dir.path, 'main'), { 'admin.passwordHash': await cheapAdminHash() });
  bounces = new SqliteBounceStore(web.world.db);
  ids = await addPeople(web.world, [{ email: 'grace@example.org' }, { email: 'ada@example.net' }]);
  session = await signIn(web.app);
});
afterAll(async () => {
  await web?.close();
  dir.remove();
});

/** A complaint that named its reader by address alone: it waits for review. */
async function unverifiedComplaint(email: string, subscriberId: number): Promise<number> {
  const event: BounceEvent = {
    dedupeKey: `arf-${email}`,
    subscriberId,
    kind: 'complaint',
    email,
    source: 'ingest',
    action: 'unverified',
    evidence: 'address',
    receivedAt: '2026-08-21T08:59:00.000Z',
  };
  await bounces.record(event);
  return (await bounces.list({ limit: 100 })).find((stored) => stored.dedupeKey === event.dedupeKey)!.id;
}

const get = (url: string) => web.app.inject({ url, headers: { cookie: session.cookie, accept: 'text/html' } });
const post = (url: string, fields: Record<string, string>) =>
  web.app.inject({ method: 'POST', url, headers: { ...formHeaders, cookie: session.cookie }, payload: formBody({ _csrf: session.csrf, ...fields }) });
const statusOf = async (email: string) => (await web.find(email))!.status;

describe('the Reports page', () => {
  it('applies a report waiting for review as bounces apply does: the reader is complained, the report leaves the list, the audit trail says who', async () => {
    const id = await unverifiedComplaint('grace@example.org', ids[0]!);
    expect((await get('/admin/reports')).body).toContain(`<tr data-report="${id}">`);
    const applied = await post('/admin/reports/apply', { id: String(id) });
    expect(applied.statusCode).toBe(303);
    expect(applied.headers.location).toBe(`/admin/reports?report=${id}&outcome=complained`);
    expect(await statusOf('grace@example.org')).toBe('complained');
    const after = await get(applied.headers.location as string);
    expect(after.body).toContain(`<p class="notice" role="status">Report ${id} applied: the reader is now complained.</p>`);
    expect(after.body).not.toContain(`<tr data-report="${id}">`);
    const [entry] = await web.adminAuth.auditTrail(1);
    expect(entry).toMatchObject({
      account: 'admin',
      action: 'report-applied',
      target: `report ${id}`,
      detail: { outcome: 'complained', email: 'grace@example.org' },
    });
    // Twice: nothing more happens, and the page says why.
    expect((await post('/admin/reports/apply', { id: String(id) })).headers.location).toBe(`/admin/reports?report=${id}&outcome=not%20waiting`);
  });

  it('dismisses one: it stays on record and changes nobody', async () => {
    const id = await unverifiedComplaint('ada@example.net', ids[1]!);
    const dismissed = await post('/admin/reports/dismiss', { id: String(id) });
    expect(dismissed.headers.location).toBe(`/admin/reports?report=${id}&outcome=dismissed`);
    expect(await statusOf('ada@example.net')).toBe('active');
    expect((await bounces.byIds([id]))[0]!.action).toBe('dismissed');
    expect((await web.adminAuth.auditTrail(1))[0]).toMatchObject({ action: 'report-dismissed', target: `report ${id}` });
  });

  it('refuses an id that is not one, and a review without the CSRF token', async () => {
    expect((await post('/admin/reports/apply', { id: '1; DROP' })).statusCode).toBe(400);
    const id = await unverifiedComplaint('eve@example.org', (await addPeople(web.world, [{ email: 'eve@example.org' }]))[0]!);
    const forged = await web.app.inject({
      method: 'POST',
      url: '/admin/reports/apply',
      headers: { ...formHeaders, cookie: session.cookie },
      payload: formBody({ id: String(id) }),
    });
    expect(forged.statusCode).toBe(403);
    expect(await statusOf('eve@example.org')).toBe('active');
  });

  it('says nothing it was not told: an unknown outcome in the address is not shown', async () => {
    expect((await get('/admin/reports?report=1&outcome=%3Cscript%3E')).body).not.toContain('class="notice"');
  });
});

describe('the Readers page', () => {
  it('unsubscribes an active reader with a reason, and brings them back: both in the audit trail with the reason', async () => {
    await addPeople(web.world, [{ email: 'lin@example.org' }]);
    const out = await post('/admin/readers/unsubscribe', { email: 'lin@example.org', reason: 'asked by phone' });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/admin/readers?email=lin%40example.org&done=unsubscribed');
    expect(await statusOf('lin@example.org')).toBe('unsubscribed');
    expect((await web.adminAuth.auditTrail(1))[0]).toMatchObject({
      action: 'reader-unsubscribed',
      target: 'lin@example.org',
      detail: { reason: 'asked by phone', from: 'active', to: 'unsubscribed' },
    });
    const page = await get(out.headers.location as string);
    expect(page.body).toContain('<p class="notice" role="status">lin@example.org is unsubscribed: no more mail; the record stays.</p>');
    expect(page.body).toContain('action="/admin/readers/resubscribe"');
    const back = await post('/admin/readers/resubscribe', { email: 'lin@example.org', reason: 'wrote to come back' });
    expect(back.headers.location).toBe('/admin/readers?email=lin%40example.org&done=resubscribed');
    expect(await statusOf('lin@example.org')).toBe('active');
    expect((await web.adminAuth.auditTrail(1))[0]).toMatchObject({
      action: 'reader-resubscribed',
      detail: { reason: 'wrote to come back', from: 'unsubscribed', to: 'active' },
    });
    const history = (await get('/admin/readers?email=lin%40example.org')).body;
    expect(history).toMatch(/<td>unsubscribed<\/td><td>active<\/td>/);
  });

  it('changes nobody without a reason, for an address nobody has, or the wrong way round', async () => {
    await addPeople(web.world, [{ email: 'max@example.org' }]);
    expect((await post('/admin/readers/unsubscribe', { email: 'max@example.org', reason: '  ' })).statusCode).toBe(400);
    expect((await post('/admin/readers/unsubscribe', { email: 'max@example.org', reason: 'x'.repeat(201) })).statusCode).toBe(400);
    expect((await post('/admin/readers/unsubscribe', { email: 'nobody@example.org', reason: 'gone' })).statusCode).toBe(404);
    const already = await post('/admin/readers/resubscribe', { email: 'max@example.org', reason: 'already here' });
    expect(already.headers.location).toBe('/admin/readers?email=max%40example.org&done=unchanged');
    expect(await statusOf('max@example.org')).toBe('active');
  });

  it('says when nobody has the address looked up', async () => {
    expect((await get('/admin/readers?email=nobody%40example.org')).body).toContain('Nobody by the address nobody@example.org is on the list.');
  });
});

describe('the overview, edition and Now pages', () => {
  it('answer with the admin pages, and 404 for an edition that does not exist', async () => {
    const overview = await get('/admin');
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('<h1>Overview</h1>');
    expect(overview.body).toContain('<span class="muted">admin</span>');
    expect(overview.body).toContain(`<input type="hidden" name="_csrf" value="${session.csrf}">`);
    expect((await get('/admin/editions/999')).statusCode).toBe(404);
    expect((await get('/admin/editions/abc')).statusCode).toBe(404);
    expect((await get('/admin/now')).body).toContain('No send is running.');
  });
});

/**
 * What the admin pages change, through inject() on a real SQLite store: applying and dismissing a
 * report waiting for review (the code `bounces apply` and `bounces dismiss` run), each recorded in
 * the audit trail, and refused without its CSRF token.
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

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { AdminQueries } from '../../src/admin/index.js';
import type { OutgoingMessage } from '../../src/delivery/index.js';
import { SqliteAdminAuthStore, SqliteBounceStore, SqlitePaperArchive, sqliteAdminQueries, storeId } from '../../src/stores/sqlite/index.js';
import { type Subscriber, type TokenPurpose, TokenSigner } from '../../src/subscribers/index.js';
import { buildApp, type WebDeps } from '../../src/web/index.js';
import { type DeliveryWorld, openWorld, recordingTransport } from './delivery.js';
import { tempDir } from './files.js';

export const baseUrl = 'https://news.example.org';
/** A fixed signing secret: tokens made by the test verify in the app. */
export const webSecret = 'web-routes-test-secret-0123456789';

type ExtraDeps = Pick<WebDeps, 'dev' | 'noRateLimit' | 'now' | 'logger'>;

export interface WebWorld {
  world: DeliveryWorld;
  app: FastifyInstance;
  signer: TokenSigner;
  /** Confirmation emails the app handed to its transport. */
  sent: OutgoingMessage[];
  /** The papers archive the search page reads. */
  papers: SqlitePaperArchive;
  /** The admin side's sessions, links and audit trail (used when the config turns /admin on). */
  adminAuth: SqliteAdminAuthStore;
  /** What the admin pages read. */
  adminQueries: AdminQueries;
  /** Another app on the same stores, signer and transport (e.g. with a different clock). */
  build(extra?: ExtraDeps): Promise<FastifyInstance>;
  token(subscriberId: number, purpose: TokenPurpose, expiresAt?: number): string;
  find(email: string): Promise<Subscriber | undefined>;
  close(): Promise<void>;
}

/**
 * The web app on a real SQLite file under `root` (its own folder: one world per root), with the
 * base URL https://news.example.org, a fixed secret and a recording transport. `flags` are config
 * key paths, as on the command line.
 */
/** What buildApp is given, from a web world's store, with a transport of the test's own. */
export function webDepsOf(web: WebWorld, transport: WebDeps['transport'] = recordingTransport().transport): WebDeps {
  const { config, subscribers, editions } = web.world;
  return { config, subscribers, editions, papers: web.papers, signer: web.signer, transport };
}

export async function openWeb(root: string, flags: Record<string, unknown> = {}, extra: ExtraDeps = {}): Promise<WebWorld> {
  mkdirSync(root, { recursive: true });
  const world = openWorld(root, { 'newsletter.baseUrl': baseUrl, ...flags });
  const signer = new TokenSigner(webSecret);
  const { transport, sent } = recordingTransport();
  const apps: FastifyInstance[] = [];
  const bounces = { store: new SqliteBounceStore(world.db), storeId: storeId(world.db) };
  const papers = new SqlitePaperArchive(world.db);
  const adminAuth = new SqliteAdminAuthStore(world.db);
  const adminQueries = sqliteAdminQueries(world.db);
  const build = async (more: ExtraDeps = {}) => {
    const { config, subscribers, editions } = world;
    const app = await buildApp({ config, subscribers, editions, papers, signer, transport, bounces, adminAuth, adminQueries, ...more });
    apps.push(app);
    return app;
  };
  const app = await build(extra);
  return {
    world,
    app,
    signer,
    sent,
    papers,
    adminAuth,
    adminQueries,
    build,
    token: (subscriberId, purpose, expiresAt) => signer.sign({ subscriberId, purpose, ...(expiresAt === undefined ? {} : { expiresAt }) }),
    find: (email) => world.subscribers.findByEmail(email),
    close: async () => {
      for (const each of apps) await each.close();
      world.close();
    },
  };
}

/**
 * The web app a test file shares, opened before its tests and closed (its folder removed) after,
 * with no rate limit (the limits have tests of their own). `web` stands for the open app; `dir`
 * holds any other worlds the file opens.
 */
export function sharedWeb(prefix: string): { web: WebWorld; dir: { path: string } } {
  const dir = tempDir(prefix);
  let current: WebWorld | undefined;
  beforeAll(async () => {
    current = await openWeb(worldDir(dir.path, 'main'), {}, { noRateLimit: true });
  });
  afterAll(async () => {
    await current?.close();
    dir.remove();
  });
  const web = new Proxy({} as WebWorld, { get: (_target, key) => Reflect.get(current!, key) });
  return { web, dir };
}

/** A folder for one world inside a test file's temp dir. */
export const worldDir = (root: string, name: string) => join(root, name);

/** An application/x-www-form-urlencoded body; arrays repeat the field. */
export function formBody(fields: Record<string, string | readonly string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) params.append(key, item);
  return params.toString();
}

export const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' } as const;

/** POSTs a form, as a browser would, and waits for the work the app does after answering. */
export async function postForm(app: FastifyInstance, url: string, fields: Record<string, string | readonly string[]>, remoteAddress?: string) {
  const response = await app.inject({ method: 'POST', url, headers: formHeaders, payload: formBody(fields), ...(remoteAddress ? { remoteAddress } : {}) });
  await app.background.idle();
  return response;
}

/** The headers every response carries, whatever its route or status. */
export function expectSecurityHeaders(response: { headers: Record<string, unknown> }): void {
  const csp = String(response.headers['content-security-policy'] ?? '');
  expect(csp).toContain("default-src 'none'");
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-frame-options']).toMatch(/^(DENY|SAMEORIGIN)$/);
  expect(csp).toMatch(/frame-ancestors '(none|self)'/);
}

/** One character of the token's signature changed: still well-formed, no longer genuine. */
export function forge(token: string): string {
  const last = token.at(-1)!;
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Background } from '../../src/web/background.js';
import type { WebDeps } from '../../src/web/context.js';
import { type SubscribeRequest, SubscribeQueue } from '../../src/web/subscribe-work.js';
import { addPeople, recordingTransport } from '../helpers/delivery.js';
import { tempDir } from '../helpers/files.js';
import { openWeb, type WebWorld, webDepsOf } from '../helpers/web.js';

const dir = tempDir('paperboy-subscribe-queue-');
let web: WebWorld;
beforeAll(async () => {
  web = await openWeb(dir.path, {}, { noRateLimit: true });
});
afterAll(async () => {
  await web?.close();
  dir.remove();
});

const form = (email: string): SubscribeRequest => ({ email, name: '', topics: [], frequency: 'daily', alerts: [] });

/** A queue on the test store with its own transport, and a way to send it forms as the route does: wait for room, then add. */
function queueWith(limits: ConstructorParameters<typeof SubscribeQueue>[2]) {
  const { transport, sent } = recordingTransport();
  const deps = webDepsOf(web, transport);
  const background = new Background(Fastify().log);
  const queue = new SubscribeQueue(deps, background, limits);
  let heldBack = 0;
  const post = async (request: SubscribeRequest) => {
    let admitted = false;
    const room = queue.room().then(() => {
      admitted = true;
    });
    await Promise.resolve();
    if (!admitted) heldBack++;
    await room;
    queue.add(request);
  };
  return { queue, background, sent, post, heldBack: () => heldBack };
}

describe('the subscribe queue', () => {
  it('under a rush beyond its limits holds answers back, then does every form: each new address stored once, one confirmation each', async () => {
    const { background, sent, post, heldBack } = queueWith({ batch: 3, mailsPerTurn: 1, inFlight: 2, waiting: 4, mails: 2 });
    const emails = Array.from({ length: 40 }, (_, index) => `rush${index}@example.org`);
    await Promise.all(emails.map((email) => post(form(email))));
    await background.idle();
    expect(heldBack()).toBeGreaterThan(0);
    expect(sent.map((message) => message.envelope.to).sort()).toEqual([...emails].sort());
    const stored = await web.world.subscribers.findByEmails(emails);
    expect(stored).toHaveLength(40);
    expect(new Set(stored.map((reader) => reader.status))).toEqual(new Set(['pending']));
  });

  it('drops a second form for an address whose form is still waiting, and takes a later one into a batch that sees the first: one reader, one confirmation', async () => {
    const { background, sent, post } = queueWith({ batch: 8, mailsPerTurn: 4, inFlight: 8, waiting: 100, mails: 100 });
    await Promise.all([post(form('twice@example.org')), post(form('TWICE@example.org')), post(form('once@example.org'))]);
    await background.idle();
    await post(form('Twice@example.org'));
    await background.idle();
    expect(sent.map((message) => message.envelope.to).sort()).toEqual(['once@example.org', 'twice@example.org']);
    expect(await web.world.subscribers.findByEmails(['twice@example.org'])).toHaveLength(1);
  });

  it('in one batch, mails only those a form may reach: an active reader and a bounced one get nothing, someone who left gets the way back', async () => {
    await addPeople(web.world, [
      { email: 'active.one@example.org', name: 'A' },
      { email: 'bounced.one@example.org', name: 'B', status: 'bounced' },
      { email: 'left.one@example.org', name: 'L', status: 'unsubscribed' },
    ]);
    const { background, sent, post } = queueWith({ batch: 8, mailsPerTurn: 4, inFlight: 8, waiting: 100, mails: 100 });
    await Promise.all(['active.one@example.org', 'bounced.one@example.org', 'left.one@example.org', 'brand.new@example.org'].map((email) => post(form(email))));
    await background.idle();
    expect(sent.map((message) => message.envelope.to).sort()).toEqual(['brand.new@example.org', 'left.one@example.org']);
    const links = sent.map((message) => /\/(confirm|resubscribe)\?token=/.exec(message.text)?.[1]);
    expect(links.sort()).toEqual(['confirm', 'resubscribe']);
    expect((await web.world.subscribers.findByEmail('active.one@example.org'))!.status).toBe('active');
    expect((await web.world.subscribers.findByEmail('left.one@example.org'))!.status).toBe('unsubscribed');
  });

  it('hands the transport no more than its in-flight limit, keeps the rest unbuilt, and holds answers once the mails are full', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const { transport, offered, sent } = recordingTransport(() => stuck);
    const background = new Background(Fastify().log);
    const queue = new SubscribeQueue(webDepsOf(web, transport), background, { batch: 4, mailsPerTurn: 2, inFlight: 3, waiting: 4, mails: 6 });
    const answered: string[] = [];
    const posts = Array.from({ length: 20 }, (_, index) => `slow${index}@example.org`).map(async (email) => {
      await queue.room();
      answered.push(email);
      queue.add(form(email));
    });
    // The relay takes nothing: three mails are out, six wait unbuilt, and the answers beyond the room wait.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(offered).toHaveLength(3);
    expect(answered.length).toBeLessThan(20);
    release();
    await Promise.all(posts);
    await background.idle();
    expect(answered).toHaveLength(20);
    expect(sent).toHaveLength(20);
  });

  it('goes on with the next batch when one fails in the store, and says so in the log', async () => {
    const { transport, sent } = recordingTransport();
    const failing = { ...web.world.subscribers, findByEmails: async () => Promise.reject(new Error('the store went away')) };
    let calls = 0;
    const subscribers = new Proxy(web.world.subscribers, {
      get: (target, key) => (key === 'findByEmails' && calls++ === 0 ? failing.findByEmails : Reflect.get(target, key).bind(target)),
    });
    const errors: string[] = [];
    const log = Object.assign(Object.create(Fastify().log), { error: (_details: unknown, message: string) => errors.push(message) });
    const background = new Background(log);
    const deps: WebDeps = { config: web.world.config, subscribers, editions: web.world.editions, papers: web.papers, signer: web.signer, transport };
    const queue = new SubscribeQueue(deps, background, { batch: 1, mailsPerTurn: 1, inFlight: 8, waiting: 100, mails: 100 });
    queue.add(form('lost.in.failure@example.org'));
    queue.add(form('after.failure@example.org'));
    await background.idle();
    expect(errors).toEqual(['subscribe failed']);
    expect(sent.map((message) => message.envelope.to)).toEqual(['after.failure@example.org']);
  });

  it('spends no allowance when the store fails to add the readers, so the same form sent again gets its mail', async () => {
    const { transport, sent } = recordingTransport();
    let failures = 1;
    const subscribers = new Proxy(web.world.subscribers, {
      get: (target, key) =>
        key === 'upsertMany' && failures-- > 0 ? async () => Promise.reject(new Error('disk full')) : Reflect.get(target, key).bind(target),
    });
    const background = new Background(Fastify().log);
    const queue = new SubscribeQueue({ ...webDepsOf(web, transport), subscribers }, background);
    queue.add(form('try.again@example.org'));
    await background.idle();
    expect(sent).toHaveLength(0);
    queue.add(form('try.again@example.org'));
    await background.idle();
    expect(sent.map((message) => message.envelope.to)).toEqual(['try.again@example.org']);
  });
});

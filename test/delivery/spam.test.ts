import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage, messageContext } from '../../src/delivery/index.js';
import { compileSources, editionView, mailSources } from '../../src/render/index.js';
import { fixture, tempDir } from '../helpers/cli.js';
import { addPeople, type DeliveryWorld, openWorld, sampleEdition } from '../helpers/delivery.js';
import { type SpamReport, spamassassin } from '../helpers/spamassassin.js';
import { openWeb, postForm, type WebWorld, worldDir } from '../helpers/web.js';

/** Both mails must stay this far from any spam folder on SpamAssassin's local rules. */
const maxScore = 0.5;
const day = '2026-08-21';
const tmp = tempDir('paperboy-spam-');
const newsletter = {
  'newsletter.from': 'Paperboy <news@example.org>',
  'newsletter.baseUrl': 'https://news.example.org',
  'newsletter.unsubscribeMailto': 'unsubscribe@example.org',
};
let world: DeliveryWorld;
let web: WebWorld;

beforeAll(async () => {
  world = openWorld(worldDir(tmp.path, 'send'), { ...newsletter, source: `file:${fixture(day)}` });
  web = await openWeb(worldDir(tmp.path, 'web'), newsletter, { noRateLimit: true });
});
afterAll(async () => {
  world?.close();
  await web?.close();
  tmp.remove();
});

function report(name: string, result: SpamReport): void {
  const fired = result.rules.map((rule) => `  ${rule.points.toFixed(1).padStart(5)} ${rule.name}: ${rule.description}`).join('\n');
  console.log(`SpamAssassin (local rules), ${name}: ${result.score} points\n${fired}`);
}

describe('SpamAssassin local rules', () => {
  it(`score the digest, as sent, at ${maxScore} or less`, async () => {
    const [id] = await addPeople(world, [{ email: 'ada@example.com', name: 'Ada Lovelace' }]);
    const edition = await sampleEdition(world, day);
    const view = editionView({ day, papers: edition.papers, newsletter: world.config.newsletter });
    const context = messageContext(world.config, edition, view, compileSources(mailSources(edition.templates)), world.signer);
    const delivery = {
      subscriberId: id!,
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      preferences: { topics: [] },
      attempts: 0,
      messageId: `<${day}.${edition.id}.${id}@example.org>`,
    };
    const result = await spamassassin(buildMessage(context, delivery, new Date()).raw, tmp.path);
    report('digest', result);
    expect(result.score).toBeLessThanOrEqual(maxScore);
  }, 120_000);

  it(`score the confirmation email, as sent, at ${maxScore} or less`, async () => {
    expect((await postForm(web.app, '/subscribe', { email: 'grace@example.com', name: 'Grace Hopper' })).statusCode).toBe(200);
    const [mail] = web.sent;
    const result = await spamassassin(mail!.raw, tmp.path);
    report('confirmation', result);
    expect(result.score).toBeLessThanOrEqual(maxScore);
  }, 120_000);
});

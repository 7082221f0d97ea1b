/**
 * Several relays without servers: the chooser (weights, recipient domains, down and up again,
 * throttling) on a clock of its own, and the router over in-process transports.
 */
import { describe, expect, it } from 'vitest';
import { type OutgoingMessage, relayRouter, type Transport } from '../../src/delivery/index.js';
import { firstCoolOffMs, longestCoolOffMs, RelayChooser, RelayHealth } from '../../src/delivery/relays/index.js';

class Clock {
  now = 0;
  readonly read = () => this.now;
}

const relay = (name: string, weight: number, clock: Clock, domains?: string[]) => ({ name, health: new RelayHealth(weight, clock.read), domains });

/** The names the chooser picks for `count` messages to `domain`, each accepted at once. */
function picks(chooser: RelayChooser<ReturnType<typeof relay>>, count: number, domain = 'example.org'): string[] {
  return Array.from({ length: count }, () => {
    const choice = chooser.choose(domain)!;
    choice.relay.health.succeeded(choice.probe);
    return choice.relay.name;
  });
}

function tally(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe('choosing a relay', () => {
  it('spreads by weight, smoothly: 3:1 is A A B A, never a run of the heavy one', () => {
    const clock = new Clock();
    const chooser = new RelayChooser([relay('A', 3, clock), relay('B', 1, clock)]);
    const names = picks(chooser, 400);
    expect(tally(names)).toEqual({ A: 300, B: 100 });
    expect(names.slice(0, 8).join('')).toBe('AABAAABA');
  });

  it('sends a listed domain only through the relays that list it, by weight among them; other domains through the rest', () => {
    const clock = new Clock();
    const chooser = new RelayChooser([relay('A', 1, clock, ['gmail.com', 'googlemail.com']), relay('B', 2, clock), relay('C', 1, clock)]);
    expect(tally(picks(chooser, 30, 'gmail.com'))).toEqual({ A: 30 });
    expect(tally(picks(chooser, 30, 'example.org'))).toEqual({ B: 20, C: 10 });
  });

  it('sends a domain no relay lists through every relay when none is general', () => {
    const clock = new Clock();
    const chooser = new RelayChooser([relay('A', 1, clock, ['gmail.com']), relay('B', 1, clock, ['outlook.com'])]);
    expect(tally(picks(chooser, 20, 'example.org'))).toEqual({ A: 10, B: 10 });
    expect(tally(picks(chooser, 10, 'outlook.com'))).toEqual({ B: 10 });
  });

  it("falls back to the general relays when a domain's relays are all down, and to any relay after that", () => {
    const clock = new Clock();
    const [a, b, c] = [relay('A', 1, clock, ['gmail.com']), relay('B', 1, clock), relay('C', 1, clock)];
    const chooser = new RelayChooser([a, b, c]);
    a.health.wentDown('connection refused by 10.0.0.1:587', false);
    expect(tally(picks(chooser, 10, 'gmail.com'))).toEqual({ B: 5, C: 5 });
    b.health.wentDown('connection refused', false);
    c.health.wentDown('connection refused', false);
    expect(chooser.choose('gmail.com')).toBeUndefined();
    expect(chooser.choose('example.org')).toBeUndefined();
  });

  it('skips the relays a message already tried', () => {
    const clock = new Clock();
    const chooser = new RelayChooser([relay('A', 5, clock), relay('B', 1, clock)]);
    expect(chooser.choose('example.org', new Set(['A']))!.relay.name).toBe('B');
    expect(chooser.choose('example.org', new Set(['A', 'B']))).toBeUndefined();
  });

  it('leaves a relay that went down alone for its cool-off, then lets one probe decide; a failed probe doubles the cool-off up to 5 minutes', () => {
    const clock = new Clock();
    const [a, b] = [relay('A', 1, clock), relay('B', 1, clock)];
    const chooser = new RelayChooser([a, b]);
    b.health.wentDown('connection refused', false);
    b.health.wentDown('connection refused', false); // a send under way when it went down: no second cool-off
    expect(b.health.downs).toBe(1);
    expect(tally(picks(chooser, 10))).toEqual({ A: 10 });
    clock.now = firstCoolOffMs;
    const probe = chooser.choose('example.org')!;
    expect(probe).toMatchObject({ relay: b, probe: true });
    expect(tally(picks(chooser, 5))).toEqual({ A: 5 }); // one probe at a time
    b.health.wentDown('connection refused', true);
    clock.now += 2 * firstCoolOffMs - 1;
    expect(chooser.choose('example.org')!.relay).toBe(a);
    clock.now += 1;
    expect(chooser.choose('example.org')).toMatchObject({ relay: b, probe: true });
    for (let probes = 0; probes < 10; probes++) {
      b.health.wentDown('connection refused', true);
      clock.now += longestCoolOffMs;
      expect(chooser.choose('example.org')).toMatchObject({ relay: b, probe: true });
    }
    b.health.succeeded(true);
    expect(b.health.up).toBe(true);
    expect(tally(picks(chooser, 10))).toEqual({ A: 5, B: 5 });
  });

  it('gives a throttling relay half its weight each time, never below an eighth, and gives it back as it accepts messages', () => {
    const clock = new Clock();
    const [a, b] = [relay('A', 1, clock), relay('B', 1, clock)];
    const chooser = new RelayChooser([a, b]);
    for (let i = 0; i < 5; i++) b.health.answered(false, true);
    expect(b.health.weight).toBe(1 / 8);
    const names = picks(chooser, 90);
    expect(tally(names.slice(0, 9))).toEqual({ A: 8, B: 1 });
    expect(b.health.weight).toBe(1); // back in full after the messages it took
    b.health.answered(false, false); // a refusal that is no throttling leaves the weight alone
    expect(b.health.weight).toBe(1);
  });
});

const message = (to: string) => ({ envelope: { from: 'news@example.org', to } }) as OutgoingMessage;
const refused = (port: number) => Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ESOCKET', command: 'CONN' });

/** An in-process transport that takes what `answer` lets through. */
function fake(answer: (message: OutgoingMessage) => void = () => {}, more: Partial<Transport> = {}) {
  const taken: string[] = [];
  const transport: Transport = {
    name: 'fake',
    async send(message) {
      answer(message);
      taken.push(message.envelope.to);
      return { response: '250 OK' };
    },
    ...more,
  };
  return { transport, taken };
}

describe('the relay router', () => {
  it('sends the same message at once through another relay when one cannot be reached, and names the relay that took it', async () => {
    const down = fake(() => {
      throw refused(2525);
    });
    const up = fake();
    const router = relayRouter([
      { relay: { name: 'B', weight: 5 }, transport: down.transport },
      { relay: { name: 'A', weight: 1 }, transport: up.transport },
    ]);
    expect(await router.send(message('x@example.org'))).toEqual({ response: '250 OK', relay: 'A' });
    expect(await router.send(message('y@example.org'))).toEqual({ response: '250 OK', relay: 'A' });
    expect(up.taken).toEqual(['x@example.org', 'y@example.org']);
    expect(router.relays!()).toEqual([
      { name: 'B', down: { reason: 'connection refused by 127.0.0.1:2525', times: 1, upAgain: false, shareWentTo: ['A'] } },
      { name: 'A' },
    ]);
  });

  it("throws the last relay's error, naming it, only when no relay is left; and while all cool off", async () => {
    const router = relayRouter([
      {
        relay: { name: 'A', weight: 1 },
        transport: fake(() => {
          throw refused(1);
        }).transport,
      },
      {
        relay: { name: 'B', weight: 1 },
        transport: fake(() => {
          throw refused(2);
        }).transport,
      },
    ]);
    const first = await router.send(message('x@example.org')).catch((error: unknown) => error);
    expect(first).toMatchObject({ message: 'connect ECONNREFUSED 127.0.0.1:2', relay: 'B', command: 'CONN' });
    const next = await router.send(message('y@example.org')).catch((error: unknown) => error);
    expect(next).toMatchObject({ message: 'connect ECONNREFUSED 127.0.0.1:2', relay: 'B' });
    expect(next).not.toBe(first);
  });

  it('throws, not reroutes, what may have reached the relay (a timeout after the body) and what the relay answered', async () => {
    const afterTheBody = Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT', command: 'DATA', nothingSent: false });
    const bounce = Object.assign(new Error('550 5.1.1 No such user'), { responseCode: 550, command: 'RCPT TO', response: '550 5.1.1 No such user' });
    const other = fake();
    for (const failure of [afterTheBody, bounce]) {
      const router = relayRouter([
        {
          relay: { name: 'A', weight: 100 },
          transport: fake(() => {
            throw failure;
          }).transport,
        },
        { relay: { name: 'B', weight: 1 }, transport: other.transport },
      ]);
      await expect(router.send(message('x@example.org'))).rejects.toMatchObject({ relay: 'A', message: failure.message });
      expect(router.relays!()[0]).toEqual({ name: 'A' });
    }
    expect(other.taken).toEqual([]);
  });

  it('reroutes what the transport says never left (nothingSent), whatever the stage', async () => {
    const router = relayRouter([
      {
        relay: { name: 'A', weight: 100 },
        transport: fake(() => {
          throw Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:587'), { code: 'ETIMEDOUT', nothingSent: true });
        }).transport,
      },
      { relay: { name: 'B', weight: 1 }, transport: fake().transport },
    ]);
    expect(await router.send(message('x@example.org'))).toMatchObject({ relay: 'B' });
  });

  it('lowers a relay that answers 421 or 4.7.x, and throws that answer as it is', async () => {
    let throttle = true;
    const answer = () => {
      if (throttle) throw Object.assign(new Error('421 4.7.0 Try again later'), { responseCode: 421, command: 'DATA', response: '421 4.7.0 Try again later' });
    };
    const throttling = fake(answer);
    const router = relayRouter([
      { relay: { name: 'A', weight: 1 }, transport: throttling.transport },
      { relay: { name: 'B', weight: 1 }, transport: fake().transport },
    ]);
    const relays: string[] = [];
    for (let i = 0; i < 40; i++) {
      relays.push(
        await router.send(message(`r${i}@example.org`)).then(
          (result) => result.relay!,
          (error: { relay: string }) => `${error.relay} 421`,
        ),
      );
    }
    expect(relays.filter((name) => name === 'A 421').length).toBeLessThan(10);
    throttle = false;
    expect(relays.filter((name) => name === 'B').length).toBeGreaterThan(30);
  });

  it('after giveUpWaiting, fails the sends given up on as they are: no relay goes down, nothing is rerouted', async () => {
    let abort: (() => void) | undefined;
    const waiting = fake(undefined, {
      send: () => new Promise((_, reject) => (abort = () => reject(Object.assign(new Error('aborted'), { code: 'EABORT' })))),
      giveUpWaiting: () => abort?.(),
    });
    const other = fake();
    const router = relayRouter([
      { relay: { name: 'A', weight: 100 }, transport: waiting.transport },
      { relay: { name: 'B', weight: 1 }, transport: other.transport },
    ]);
    const sending = router.send(message('x@example.org'));
    router.giveUpWaiting!();
    await expect(sending).rejects.toMatchObject({ code: 'EABORT', relay: 'A' });
    expect(other.taken).toEqual([]);
    expect(router.relays!()[0]).toEqual({ name: 'A' });
  });

  it('bounds messages in flight by the sum of its relays, or not at all when one is unbounded; closes every relay', async () => {
    const closed: string[] = [];
    const bounded = (name: string, maxInFlight?: number) => ({
      relay: { name, weight: 1 },
      transport: { ...fake().transport, ...(maxInFlight ? { maxInFlight } : {}), close: async () => void closed.push(name) },
    });
    expect(relayRouter([bounded('A', 8), bounded('B', 16)]).maxInFlight).toBe(24);
    const router = relayRouter([bounded('A', 8), bounded('B')]);
    expect(router.maxInFlight).toBeUndefined();
    await router.close!();
    expect(closed.sort()).toEqual(['A', 'B']);
  });
});

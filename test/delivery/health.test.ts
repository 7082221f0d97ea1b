import { describe, expect, it } from 'vitest';
import { RunHealth } from '../../src/delivery/health.js';

/** A message through to `domain`: no verdict. */
const successOn = (health: RunHealth, domain: string): ReturnType<RunHealth['failure']> => {
  health.success(domain);
  return {};
};

const limits = { pauseAfterFailures: 5, pauseAfterOutages: 3, maxBouncesInARow: 20, bounceWindow: 200, maxBounceRate: 0.05, pauseAfterPolicyRejects: 5 };

describe('RunHealth: the bounce breaker', () => {
  it('trips at more than 5% of the last 200 outcomes, naming them all to undo, however they are spread', () => {
    const health = new RunHealth(limits);
    let verdict = {};
    let id = 0;
    // 40% of recipients bounce, spread through the list.
    while (!('pause' in verdict) && id < 1000) {
      id++;
      if (id % 5 < 2) verdict = health.failure('bounce', id, '550 5.1.1 No such user', { domain: `d${id % 13}.example` });
      else health.success(`d${id % 13}.example`);
    }
    expect(verdict).toMatchObject({
      pause: expect.stringMatching(/^11 of the last 200 recipients bounced \(last: 550 5\.1\.1 No such user\), more than the 5% a real list bounces/),
    });
    expect((verdict as { undo: number[] }).undo).toHaveLength(11);
    expect(id).toBeLessThan(40); // within the first few dozen messages: at most 2% of a list of 1,000
  });

  it('trips after more than 20 bounces in a row when the window allows more (a lenient rate)', () => {
    const health = new RunHealth({ ...limits, maxBounceRate: 0.5 });
    for (let id = 1; id <= 20; id++) expect(health.failure('bounce', id, '550 5.1.1')).toEqual({});
    expect(health.failure('bounce', 21, '550 5.1.1').undo).toHaveLength(21);
  });

  it('lets a healthy list bounce: 1% spread over 10,000 sends never trips it', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 10_000; id++) {
      if (id % 100 === 0) expect(health.failure('bounce', id, '550 5.1.1', { domain: 'gmail.com' })).toEqual({});
      else health.success('gmail.com');
    }
  });

  it('holds one recipient domain that bounces far beyond the rate while the run goes on', () => {
    const health = new RunHealth(limits);
    let held: { domain: string; undo: number[] } | undefined;
    for (let id = 1; id <= 2000 && !held; id++) {
      const dead = id % 25 === 0; // 4% of the list, all at one domain, every one of them bouncing
      const verdict = dead ? health.failure('bounce', id, '550 5.1.1 unknown', { domain: 'dead.example' }) : successOn(health, 'live.example');
      expect(verdict.pause).toBeUndefined();
      if (verdict.pauseDomain) held = verdict.pauseDomain;
    }
    expect(held?.domain).toBe('dead.example');
    expect(held?.undo).toHaveLength(11);
    expect(health.domainPaused('dead.example')).toBe(true);
    expect(health.domainPaused('live.example')).toBe(false);
  });
});

describe('RunHealth: policy refusals', () => {
  it('takes 5.7.x for recipients in a row, nothing accepted between, as about us', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 4; id++) expect(health.failure('policy', id, '550 5.7.1 Access denied')).toEqual({});
    expect(health.failure('policy', 5, '550 5.7.1 Access denied').pause).toBe(
      'the server refused the run: 5 recipients in a row answered 550 5.7.1 Access denied',
    );
  });

  it('lets a few among accepted ones pass without pausing', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 500; id++) {
      if (id % 20 === 0) expect(health.failure('policy', id, '550 5.7.26 DMARC')).toEqual({});
      else health.success();
    }
    expect(health.accepted).toBe(475);
  });
});

describe('RunHealth: the server and the relay', () => {
  it('pauses at once when the server refuses the sender, with nothing to undo', () => {
    expect(new RunHealth(limits).failure('sender', 1, '554 5.7.1 Relay access denied')).toEqual({
      pause: 'the server refused the run: 554 5.7.1 Relay access denied',
    });
  });

  it('pauses after a few outages in a row, and a success in between resets the count', () => {
    const health = new RunHealth(limits);
    expect(health.failure('outage', 1, 'connection refused by 127.0.0.1:1')).toEqual({});
    expect(health.failure('outage', 2, 'connection refused by 127.0.0.1:1')).toEqual({});
    health.success();
    expect(health.failure('outage', 3, 'connection refused by 127.0.0.1:1')).toEqual({});
    expect(health.failure('outage', 4, 'connection refused by 127.0.0.1:1')).toEqual({});
    expect(health.failure('outage', 5, 'connection refused by 127.0.0.1:1').pause).toBe(
      'cannot reach the server: connection refused by 127.0.0.1:1 (3 tries in a row)',
    );
  });

  it('pauses at the first timeout when nothing was accepted for as long as the timeout', () => {
    let now = 0;
    const health = new RunHealth(limits, () => now);
    now = 30_000;
    expect(health.failure('outage', 1, 'no answer from the server in time (Greeting never received)', { timedOut: true, timeoutMs: 30_000 }).pause).toMatch(
      /^cannot reach the server/,
    );
    const busy = new RunHealth(limits, () => now);
    now = 40_000;
    busy.success();
    now = 41_000;
    expect(busy.failure('outage', 1, 'no answer', { timedOut: true, timeoutMs: 30_000 })).toEqual({}); // others got through a second ago
  });

  it('does not count a 421 answered by dropping a connection, only one at the floor', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 10; id++) expect(health.failure('throttle', id, '421 Too many connections', { shrank: true })).toEqual({});
    expect(health.failure('throttle', 11, '421')).toEqual({});
    expect(health.failure('throttle', 12, '421')).toEqual({});
    expect(health.failure('throttle', 13, '421').pause).toMatch(/^cannot reach the server/);
  });

  it('counts deferrals by distinct message: the same few deferred again and again never pause the run', () => {
    const health = new RunHealth(limits);
    for (let pass = 0; pass < 10; pass++) {
      for (let id = 1; id <= 4; id++) expect(health.failure('deferred', id, '451 4.7.1 Greylisted')).toEqual({});
    }
    expect(health.failure('deferred', 5, '451 4.7.1 Greylisted').pause).toBe(
      'nothing is getting through: 5 messages in a row were deferred (last: 451 4.7.1 Greylisted)',
    );
  });

  it('pauses after rejections in a row and names them to undo', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 4; id++) expect(health.failure('reject', id, '554 Transaction failed')).toEqual({});
    expect(health.failure('reject', 5, '554 Transaction failed')).toEqual({
      pause: '5 messages in a row were refused (last: 554 Transaction failed)',
      undo: [1, 2, 3, 4, 5],
    });
  });
});

describe('RunHealth with a grace period for outages', () => {
  it('pauses only once connection failures have gone on for the grace period too', () => {
    let now = 0;
    const health = new RunHealth({ ...limits, outageGraceMs: 2000 }, () => now);
    for (let id = 1; id <= 6; id++) expect(health.failure('throttle', id, '421 Too many connected clients')).toEqual({});
    now = 1500;
    expect(health.failure('outage', 7, 'connection refused by 127.0.0.1:1')).toEqual({});
    now = 2000;
    expect(health.failure('outage', 8, 'connection refused by 127.0.0.1:1').pause).toBe(
      'cannot reach the server: connection refused by 127.0.0.1:1 (8 tries in a row)',
    );
  });
});

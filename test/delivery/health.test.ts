import { describe, expect, it } from 'vitest';
import { RunHealth } from '../../src/delivery/health.js';

const limits = { pauseAfterFailures: 5, pauseAfterOutages: 3, maxBouncesInARow: 20, bounceWindow: 50 };

describe('RunHealth', () => {
  it('trips the bounce breaker after more than 20 bounces in a row, naming them all to undo', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 20; id++) expect(health.failure('bounce', id, '550 5.1.1 No such user')).toEqual({});
    const verdict = health.failure('bounce', 21, '550 5.1.1 No such user');
    expect(verdict.pause).toMatch(/^21 of the last 50 recipients bounced \(last: 550 5\.1\.1 No such user\)/);
    expect(verdict.undo).toEqual(Array.from({ length: 21 }, (_, index) => index + 1));
  });

  it('trips it when more than half of the last 50 sends bounced, even with successes between', () => {
    const health = new RunHealth(limits);
    let verdict = {};
    for (let id = 1; id <= 60 && !('pause' in verdict); id++) {
      if (id % 3 === 0) health.success();
      else verdict = health.failure('bounce', id, '550 5.1.1');
    }
    expect(verdict).toMatchObject({ pause: expect.stringMatching(/^26 of the last 50/) });
    expect((verdict as { undo: number[] }).undo).toHaveLength(26);
  });

  it('lets a normal list bounce: a few bounces among many successes never trip it', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 1000; id++) {
      if (id % 10 === 0) expect(health.failure('bounce', id, '550 5.1.1')).toEqual({});
      else health.success();
    }
  });

  it('pauses at once when the server refuses the sender, with nothing to undo', () => {
    expect(new RunHealth(limits).failure('sender', 1, '554 5.7.1 Relay access denied')).toEqual({ pause: 'the server refused the run: 554 5.7.1 Relay access denied' });
  });

  it('pauses after a few outages in a row, and a success in between resets the count', () => {
    const health = new RunHealth(limits);
    expect(health.failure('outage', 1, 'connection refused by 127.0.0.1:1')).toEqual({});
    expect(health.failure('outage', 2, 'connection refused by 127.0.0.1:1')).toEqual({});
    health.success();
    expect(health.failure('outage', 3, 'connection refused by 127.0.0.1:1')).toEqual({});
    expect(health.failure('outage', 4, 'connection refused by 127.0.0.1:1')).toEqual({});
    expect(health.failure('outage', 5, 'connection refused by 127.0.0.1:1').pause).toBe('cannot reach the server: connection refused by 127.0.0.1:1 (3 tries in a row)');
  });

  it('does not count a 421 answered by dropping a connection, only one at the floor', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 10; id++) expect(health.failure('throttle', id, '421 Too many connections', true)).toEqual({});
    expect(health.failure('throttle', 11, '421', false)).toEqual({});
    expect(health.failure('throttle', 12, '421', false)).toEqual({});
    expect(health.failure('throttle', 13, '421', false).pause).toMatch(/^cannot reach the server/);
  });

  it('counts deferrals by distinct message: the same few deferred again and again never pause the run', () => {
    const health = new RunHealth(limits);
    for (let pass = 0; pass < 10; pass++) {
      for (let id = 1; id <= 4; id++) expect(health.failure('deferred', id, '451 4.7.1 Greylisted')).toEqual({});
    }
    expect(health.failure('deferred', 5, '451 4.7.1 Greylisted').pause).toBe('nothing is getting through: 5 messages in a row were deferred (last: 451 4.7.1 Greylisted)');
  });

  it('pauses after rejections in a row and names them to undo', () => {
    const health = new RunHealth(limits);
    for (let id = 1; id <= 4; id++) expect(health.failure('reject', id, '554 Transaction failed')).toEqual({});
    expect(health.failure('reject', 5, '554 Transaction failed')).toEqual({ pause: '5 messages in a row were refused (last: 554 Transaction failed)', undo: [1, 2, 3, 4, 5] });
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
    expect(health.failure('outage', 8, 'connection refused by 127.0.0.1:1').pause).toBe('cannot reach the server: connection refused by 127.0.0.1:1 (8 tries in a row)');
  });
});

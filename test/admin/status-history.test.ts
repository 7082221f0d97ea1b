import { describe, expect, it } from 'vitest';
import { changeReason, daysUpTo, noReaders, statusHistory, troubleByDomain } from '../../src/admin/index.js';

describe('the admin side of the readers', () => {
  it('names the UTC days up to now, across a month and a leap day', () => {
    expect(daysUpTo(new Date('2028-03-01T00:30:00+02:00'), 3)).toEqual(['2028-02-27', '2028-02-28', '2028-02-29']); // 22:30 on the 29th in UTC
    expect(daysUpTo(new Date('2028-03-01T23:59:59Z'), 3)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(daysUpTo(new Date('2028-03-01T12:00:00Z'), 0)).toEqual([]);
  });

  it('runs the counts on from the day before the window, leaving days without changes as they were', () => {
    const history = statusHistory(
      { ...noReaders(), active: 10 },
      [
        { day: '2026-05-01', status: 'active', entered: 3, exited: 1 },
        { day: '2026-05-01', status: 'unsubscribed', entered: 1, exited: 0 },
        { day: '2026-05-03', status: 'pending', entered: 2, exited: 0 },
        { day: '2026-05-09', status: 'active', entered: 5, exited: 0 }, // after the window: now only
      ],
      ['2026-05-01', '2026-05-02', '2026-05-03'],
    );
    expect(history.days.map(({ counts }) => [counts.active, counts.unsubscribed, counts.pending])).toEqual([
      [12, 1, 0],
      [12, 1, 0],
      [12, 1, 2],
    ]);
    expect(history.flows).toEqual([
      { day: '2026-05-01', joined: 3, lost: 1 },
      { day: '2026-05-02', joined: 0, lost: 0 },
      { day: '2026-05-03', joined: 0, lost: 0 },
    ]);
    expect(history.now).toEqual({ ...noReaders(), active: 17, unsubscribed: 1, pending: 2 });
  });

  it('says a change in words', () => {
    expect(changeReason('pending', 'active')).toBe('confirmed');
    expect(changeReason('bounced', 'active')).toBe('resubscribed');
    expect(changeReason('active', 'pending')).toBe('back to pending');
    expect(changeReason('active', 'complained')).toBe('complained');
  });

  it('puts the domains with the most trouble first, failures and reports together', () => {
    expect(
      troubleByDomain(
        [
          { domain: 'a.example', failed: 1 },
          { domain: 'b.example', failed: 2 },
        ],
        [
          { domain: 'a.example', bounced: 3, complained: 0 },
          { domain: 'c.example', bounced: 0, complained: 1 },
        ],
      ),
    ).toEqual([
      { domain: 'a.example', failed: 1, bounced: 3, complained: 0 },
      { domain: 'b.example', failed: 2, bounced: 0, complained: 0 },
      { domain: 'c.example', failed: 0, bounced: 0, complained: 1 },
    ]);
  });
});

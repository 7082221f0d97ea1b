import { describe, expect, it } from 'vitest';
import { classify } from '../../src/bounces/status.js';
import { classifyFailure } from '../../src/delivery/failures.js';

/** A 550 reply to RCPT TO, as nodemailer reports it. */
const atRcpt = (code: string, words = 'refused') => classifyFailure({ responseCode: 550, response: `550 ${code} ${words}`, command: 'RCPT TO' });

describe('one status-code policy for a reply at RCPT and for a report later', () => {
  // Every registered detail of every subject, and the vague ones: a code that means a mailbox is
  // gone bounces the reader whenever it arrives, and one that does not, never does.
  const codes = [
    '5.1.0',
    '5.1.1',
    '5.1.2',
    '5.1.3',
    '5.1.4',
    '5.1.6',
    '5.1.7',
    '5.1.8',
    '5.1.10',
    '5.2.0',
    '5.2.1',
    '5.2.2',
    '5.2.3',
    '5.3.1',
    '5.3.4',
    '5.4.0',
    '5.4.4',
    '5.4.6',
    '5.4.7',
    '5.5.1',
    '5.5.2',
    '5.6.0',
    '5.6.1',
    '5.7.0',
    '5.7.1',
    '5.7.26',
  ];

  it.each(codes)('%s: a bounce at RCPT exactly when a report of it is hard', (code) => {
    const report = classify(code, `smtp; 550 ${code} refused`, { context: 'in reply to RCPT TO' });
    expect(atRcpt(code).kind === 'bounce').toBe(report.hard);
  });

  it('5.4.4 (unable to route: the domain has no route) is the domain gone, in both', () => {
    expect(atRcpt('5.4.4', 'Invalid domain').kind).toBe('bounce');
    expect(classify('5.4.4', 'smtp; 550 5.4.4 Invalid domain')).toEqual({ status: '5.4.4', hard: true });
  });

  it("a provider's documented pair of a vague code and its words means a missing mailbox in both", () => {
    const outlook = 'Requested action not taken: mailbox unavailable';
    const microsoft365 = 'Recipient address rejected: Access denied. AS(201806281)';
    expect(atRcpt('5.5.0', outlook).kind).toBe('bounce');
    expect(atRcpt('5.4.1', microsoft365).kind).toBe('bounce');
    expect(classify('5.5.0', `smtp; 550 5.5.0 ${outlook}`).hard).toBe(true);
    expect(classify('5.4.1', `smtp; 550 5.4.1 ${microsoft365}`).hard).toBe(true);
    // The same vague codes with other words say nothing about the mailbox.
    expect(atRcpt('5.5.0', 'syntax error').kind).toBe('sender');
    expect(atRcpt('5.4.1', 'no answer from host').kind).toBe('reject');
  });
});

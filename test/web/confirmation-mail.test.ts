import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../src/delivery/index.js';
import { tempDir } from '../helpers/files.js';
import { baseUrl, openWeb, postForm, type WebWorld, worldDir } from '../helpers/web.js';

const dir = tempDir('paperboy-confirmation-mail-');
let web: WebWorld;
let mail: OutgoingMessage;
const email = 'new.reader@example.org';

beforeAll(async () => {
  web = await openWeb(worldDir(dir.path, 'main'), { 'newsletter.postalAddress': 'Paperboy Ltd, 1 Main St, Springfield' }, { noRateLimit: true });
  const response = await postForm(web.app, '/subscribe', { email, name: 'Visit evil.example now' });
  expect(response.statusCode).toBe(200);
  mail = web.sent.find((message) => message.envelope.to === email)!;
});
afterAll(async () => {
  await web?.close();
  dir.remove();
});

describe('the confirmation email', () => {
  it('carries nothing typed into the form but the address', async () => {
    const parsed = await simpleParser(mail.raw);
    expect(parsed.headers.get('to')).toMatchObject({ value: [{ address: email, name: '' }] });
    for (const part of [mail.raw.toString('utf8'), parsed.html as string, parsed.text!]) expect(part).not.toMatch(/evil|Visit/);
    expect(mail.html).toContain(email);
  });

  it('names who sends it and why, in a header and a footer with the postal address', () => {
    expect(mail.html).toMatch(/<h1[^>]*>Paperboy Daily Papers<\/h1>/);
    expect(mail.html).toContain(`someone asked for its daily digest at ${email}`);
    expect(mail.html).toContain('Sent by Paperboy Daily Papers, Paperboy Ltd, 1 Main St, Springfield');
    expect(mail.text).toContain('Sent by Paperboy Daily Papers, Paperboy Ltd, 1 Main St, Springfield');
  });

  it('has a plain link under the button for clients that break buttons', () => {
    const html = mail.html.replaceAll('&#x3D;', '=');
    const link = new RegExp(`${baseUrl.replace(/\./g, '\\.')}/confirm\\?token=[A-Za-z0-9._-]+`).exec(html)![0];
    expect(html).toContain(`>${link}</a>`);
    expect(html.indexOf(`>${link}</a>`)).toBeGreaterThan(html.indexOf('Yes, subscribe me'));
  });

  it('keeps off the top edge, has dark styles and hides the preheader without a colour', () => {
    expect(mail.html).toMatch(/padding:28px 8px 16px/);
    expect(mail.html).toMatch(/@media \(prefers-color-scheme: dark\)[\s\S]*\.card td \{ background: #161b22 !important; \}/);
    expect(mail.html).toMatch(/<div class="preheader" style="[^"]*display:none[^"]*">One click/);
    expect(/<div class="preheader" style="([^"]*)"/.exec(mail.html)![1]).not.toMatch(/color/);
  });

  it('keeps the plain text within 78 columns but for the link', () => {
    for (const line of mail.text.split(/\r?\n/)) if (!/^https?:\/\/\S+$/.test(line)) expect(line.length).toBeLessThanOrEqual(78);
  });
});

import { describe, expect, it } from 'vitest';
import { parseBounceEmail } from '../../../src/dsn/index.js';
import { email, parseFixture } from './fixtures.js';

describe('emails that are not bounces', () => {
  it.each(['rfc3834-01.eml', 'rfc3834-03.eml'])('ignores the auto-reply %s', async (file) => {
    const r = await parseFixture(file);
    expect(r).toMatchObject({ events: [], ignored: 1, rejected: 0, format: 'autoreply' });
  });

  it('gives no event for an ordinary message', async () => {
    expect(await parseFixture('is-not-bounce-01.eml')).toMatchObject({ events: [], ignored: 1, format: 'none' });
  });

  it('gives no event for an out-of-office reply that quotes addresses and failure words', async () => {
    const r = await parseBounceEmail(email(
      'From: Jane <jane@example.org>',
      'To: sender@example.net',
      'Subject: Automatic reply: delivery failure of your order',
      'Auto-Submitted: auto-replied',
      '',
      'I am out of the office. Unknown user: boss@example.org',
      'Mail delivery failed? write to <assistant@example.org>:',
      '',
    ));
    expect(r.events).toEqual([]);
  });

  it('still reads an Exim bounce although Exim marks it Auto-Submitted: auto-replied', async () => {
    const r = await parseFixture('lhost-exim-01.eml');
    expect(r.events).toHaveLength(1);
  });
});

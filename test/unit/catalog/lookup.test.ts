import { describe, expect, it } from 'vitest';
import { lookupCode } from '../../../src/catalog/lookup.js';

describe('lookupCode', () => {
  it('explains a basic reply code in the language asked for', () => {
    const en = lookupCode('550', 'en')!;
    const es = lookupCode('550', 'es')!;
    expect(en.kind).toBe('reply_code');
    expect(en.reply_code).toMatchObject({ code: '550', permanence: 'permanent', side: 'either' });
    expect(es.reply_code!.meaning).not.toBe(en.reply_code!.meaning);
    expect(en.reason).toBeUndefined();
  });

  it('gives the reason a reply code names by itself', () => {
    expect(lookupCode('530')!.reason).toMatchObject({ name: 'securityerror', class: 'soft', sender_caused: true });
  });

  it('gives no reason where the classifier takes none from the code alone', () => {
    // 521 means "takes no mail" by RFC 7504, but gateways answer it to refuse the sender: the
    // classifier wants words or X.3.2 before it suppresses, and the catalog says the same.
    for (const code of ['521', '556']) {
      const r = lookupCode(code)!;
      expect(r.reply_code).toMatchObject({ code, permanence: 'permanent' });
      expect(r.reason).toBeUndefined();
    }
    expect(lookupCode('521 5.3.2 System not accepting network messages')!.reason).toMatchObject({ name: 'notaccept', class: 'hard' });
  });

  it('explains an enhanced code with its class, reason and bounce class', () => {
    const r = lookupCode('5.1.1', 'en')!;
    expect(r.kind).toBe('enhanced');
    expect(r.status).toMatchObject({ code: '5.1.1', permanence: 'permanent', side: 'recipient', registered: true, ref: 'RFC 3463' });
    expect(r.status!.meaning.startsWith('Permanent failure: ')).toBe(true);
    expect(r.reason).toMatchObject({ name: 'userunknown', class: 'hard', group: 'recipient', sender_caused: false });
    expect(lookupCode('4.2.2', 'es')!.status!.meaning.startsWith('Fallo temporal: ')).toBe(true);
    expect(lookupCode('4.2.2')!.reason).toMatchObject({ name: 'mailboxfull', class: 'soft' });
  });

  it('reads an unregistered detail by its subject', () => {
    const r = lookupCode('5.7.606')!;
    expect(r.status).toMatchObject({ registered: false, subject_meaning: 'Security or policy status', ref: null });
    expect(r.reason?.name).toBe('securityerror');
  });

  it('decodes a whole reply line', () => {
    const r = lookupCode('550-5.1.1 The email account that you tried to reach does not exist', 'es')!;
    expect(r.kind).toBe('reply_line');
    expect(r.reply_code?.code).toBe('550');
    expect(r.status?.code).toBe('5.1.1');
    expect(r.reason?.name).toBe('userunknown');
    expect(r.decoded?.rule).toBe('status:5.1.1');
  });

  it('marks sender-caused reasons', () => {
    const r = lookupCode('554 5.7.1 Service unavailable; Client host [192.0.2.4] blocked using zen.spamhaus.org')!;
    expect(r.reason).toMatchObject({ name: 'blocked', sender_caused: true, class: 'soft' });
  });

  it('returns null when nothing is known', () => {
    expect(lookupCode('599')).toBeNull();
    expect(lookupCode('5.9.1')).toBeNull();
    expect(lookupCode('hello there')).toBeNull();
    expect(lookupCode('   ')).toBeNull();
  });

  it('is JSON-safe', () => {
    const r = lookupCode('550 5.1.1 user unknown')!;
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

import { describe, expect, it } from 'vitest';
import { REPLY_CODES, replyCodeInfo, replyPermanence } from '../../../src/catalog/reply-codes.js';

// RFC 5321 §4.2.3 lists these; SPEC §6 names the 13 failure codes explicitly.
const RFC5321 = ['211', '214', '220', '221', '250', '251', '252', '354', '421', '450', '451', '452', '455',
  '500', '501', '502', '503', '504', '550', '551', '552', '553', '554', '555'];
const SPEC_FAILURES = ['421', '450', '451', '452', '500', '501', '502', '504', '550', '551', '552', '553', '554'];

describe('reply-code catalog', () => {
  it.each(RFC5321.concat(['521', '556', '530', '535']))('has %s', (code) => {
    expect(replyCodeInfo(code)?.code).toBe(code);
  });

  it.each(SPEC_FAILURES)('%s has an English and a different Spanish meaning', (code) => {
    const info = replyCodeInfo(code)!;
    expect(info.meaning.en.length).toBeGreaterThan(10);
    expect(info.meaning.es.length).toBeGreaterThan(10);
    expect(info.meaning.es).not.toBe(info.meaning.en);
  });

  it('gives every entry both languages, a side and a permanence that matches its first digit', () => {
    for (const info of REPLY_CODES.values()) {
      expect(info.meaning.en).not.toBe('');
      expect(info.meaning.es).not.toBe(info.meaning.en);
      expect(['recipient', 'sender', 'transport', 'either']).toContain(info.side);
      expect(info.permanence).toBe(replyPermanence(info.code));
    }
  });

  it('reads 4yz as transient and 5yz as permanent', () => {
    expect(replyCodeInfo('450')?.permanence).toBe('transient');
    expect(replyCodeInfo('550')?.permanence).toBe('permanent');
    expect(replyCodeInfo('250')?.permanence).toBe('success');
  });

  it('does not invent codes', () => {
    expect(replyCodeInfo('599')).toBeUndefined();
    expect(replyCodeInfo('498')).toBeUndefined();
  });
});

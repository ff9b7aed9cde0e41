import { describe, expect, it } from 'vitest';
import {
  ENHANCED_CODES, enhancedCodeInfo, parseStatus, statusReason, subjectInfo,
} from '../../../src/catalog/enhanced-codes.js';

// The IANA "SMTP Enhanced Status Codes" registry, enumerated codes (subject.detail), as of 2024.
const IANA = [
  '0.0',
  '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10',
  '2.0', '2.1', '2.2', '2.3', '2.4',
  '3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6',
  '4.0', '4.1', '4.2', '4.3', '4.4', '4.5', '4.6', '4.7',
  '5.0', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6',
  '6.0', '6.1', '6.2', '6.3', '6.4', '6.5', '6.6', '6.7', '6.8', '6.9', '6.10',
  ...Array.from({ length: 31 }, (_, i) => `7.${i}`),
];

describe('enhanced-code catalog', () => {
  it('holds every code of the IANA registry and nothing else', () => {
    expect([...ENHANCED_CODES.keys()].sort()).toEqual([...IANA].sort());
  });

  it.each(IANA)('X.%s has English and Spanish meanings that differ', (code) => {
    const info = ENHANCED_CODES.get(code)!;
    expect(info.meaning.en.length).toBeGreaterThan(5);
    expect(info.meaning.es.length).toBeGreaterThan(5);
    expect(info.meaning.es).not.toBe(info.meaning.en);
  });

  it('parses codes strictly', () => {
    expect(parseStatus('5.1.1')).toEqual({ code: '5.1.1', klass: '5', subject: 1, detail: 1 });
    expect(parseStatus(' 4.7.652 ')?.code).toBe('4.7.652');
    expect(parseStatus('5.01.001')?.code).toBe('5.1.1');
    expect(parseStatus('3.1.1')).toBeNull();
    expect(parseStatus('5.8.1')).toBeNull();
    expect(parseStatus('5.1.1.1')).toBeNull();
    expect(parseStatus('5.1')).toBeNull();
  });

  it('names the reasons that the codes imply', () => {
    const reason = (s: string) => statusReason(parseStatus(s)!);
    expect(reason('5.1.1')).toBe('userunknown');
    expect(reason('5.1.2')).toBe('hostunknown');
    expect(reason('5.1.6')).toBe('hasmoved');
    expect(reason('5.1.10')).toBe('notaccept');
    expect(reason('5.2.1')).toBe('suspend');
    expect(reason('5.2.2')).toBe('mailboxfull');
    expect(reason('4.2.2')).toBe('mailboxfull');
    expect(reason('5.3.4')).toBe('mesgtoobig');
    expect(reason('4.4.7')).toBe('expired');
    expect(reason('5.7.23')).toBe('authfailure');
    expect(reason('5.7.25')).toBe('requireptr');
    expect(reason('5.7.26')).toBe('authfailure');
    expect(reason('2.0.0')).toBe('delivered');
    // Used for too many things to guess from the number.
    expect(reason('5.7.1')).toBeNull();
    expect(reason('5.0.0')).toBeNull();
    // Not registered: the subject speaks for it elsewhere, not the detail.
    expect(reason('5.7.606')).toBeNull();
    expect(enhancedCodeInfo(parseStatus('5.7.606')!)).toBeUndefined();
    expect(subjectInfo(7)?.reason).toBe('securityerror');
  });
});

import { describe, expect, it } from 'vitest';
import type { BounceReason, CanonicalEvent } from '../../src/core/event.js';
import { unattributed } from '../../src/core/event.js';
import { planAddress, suppressionWithoutHistory, type PolicyConfig, type Suppression } from '../../src/core/policy.js';

const cfg: PolicyConfig = { softBounceLimit: 3, softBounceWindowDays: 14, softSuppressionDays: 30, suppressUnsubscribes: true };
const now = new Date('2026-06-20T00:00:00Z');
const email = 'jane@example.com';
let seq = 0;

function bounce(at: string, cls: 'hard' | 'soft' | 'undetermined', reason: BounceReason): CanonicalEvent {
  return {
    id: `t:${++seq}`, provider: 'ses', type: 'bounced', recipient: email, occurred_at: at, message_id: null,
    bounce: { class: cls, reason, reply_code: null, status: null, diagnostic: null, provider_class: null, rule: 'test' },
  };
}
const delivered = (at: string): CanonicalEvent => ({
  id: `t:${++seq}`, provider: 'ses', type: 'delivered', recipient: email, occurred_at: at, message_id: null,
});
const empty = { suppression: null, soft: null };

describe('suppression policy', () => {
  it('suppresses a hard bounce at once, permanently', () => {
    const plan = planAddress(email, empty, [bounce('2026-06-19T10:00:00Z', 'hard', 'userunknown')], cfg, now);
    expect(plan.suppression).toMatchObject({ reason: 'hard_bounce', expires_at: null, email });
  });

  it('never suppresses a sender-caused bounce, even many of them', () => {
    const events = Array.from({ length: 5 }, (_, i) => bounce(`2026-06-1${i}T10:00:00Z`, 'soft', 'blocked'));
    const plan = planAddress(email, empty, events, cfg, now);
    expect(plan.suppression).toBeNull();
    expect(plan.soft).toBeNull();
  });

  // The message itself refused: too large, too many recipients, not RFC 5322 compliant. Another
  // message to the address would go through.
  it.each(['mesgtoobig', 'exceedlimit', 'notcompliantrfc'] as const)('never counts a bounce of the message itself (%s) toward the limit', (reason) => {
    const events = ['2026-06-10', '2026-06-12', '2026-06-15', '2026-06-16'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', reason));
    const plan = planAddress(email, empty, events, cfg, now);
    expect(plan.suppression).toBeNull();
    expect(plan.soft).toBeNull();
  });

  it('suppresses at the soft-bounce limit within the window, expiring after SOFT_SUPPRESSION_DAYS', () => {
    const events = ['2026-06-10', '2026-06-12', '2026-06-15'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull'));
    const plan = planAddress(email, empty, events, cfg, now);
    expect(plan.suppression).toMatchObject({ reason: 'soft_bounce_limit', expires_at: '2026-07-15T08:00:00.000Z' });
  });

  it('does not count soft bounces spread wider than the window', () => {
    const events = ['2026-05-01', '2026-05-20', '2026-06-10'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull'));
    expect(planAddress(email, empty, events, cfg, now).suppression).toBeNull();
  });

  it('lets a delivery in between reset the count, whatever order the events arrive in', () => {
    const events = [
      bounce('2026-06-10T08:00:00Z', 'soft', 'mailboxfull'),
      bounce('2026-06-11T08:00:00Z', 'soft', 'mailboxfull'),
      delivered('2026-06-12T08:00:00Z'),
      bounce('2026-06-13T08:00:00Z', 'soft', 'mailboxfull'),
    ];
    for (const order of [events, [...events].reverse()]) {
      const plan = planAddress(email, empty, order, cfg, now);
      expect(plan.suppression).toBeNull();
      expect(Object.keys(plan.soft!.bounces)).toHaveLength(1);
    }
  });

  it('counts history from earlier inputs, by event id, so a replayed bounce counts once', () => {
    const first = bounce('2026-06-10T08:00:00Z', 'soft', 'mailboxfull');
    const second = bounce('2026-06-11T08:00:00Z', 'soft', 'mailboxfull');
    const after = planAddress(email, empty, [first, second], cfg, now).soft!;
    expect(planAddress(email, { suppression: null, soft: after }, [first], cfg, now).suppression).toBeNull();
    const third = bounce('2026-06-12T08:00:00Z', 'soft', 'mailboxfull');
    expect(planAddress(email, { suppression: null, soft: after }, [third], cfg, now).suppression?.reason).toBe('soft_bounce_limit');
  });

  it('never lifts or replaces a permanent suppression, but makes a time-limited one permanent', () => {
    const permanent: Suppression = {
      email, reason: 'complaint', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
      expires_at: null, note: null, source: { provider: 'ses', event_id: 'x', reply_code: null, status: null, reason: null },
    };
    const hard = bounce('2026-06-19T10:00:00Z', 'hard', 'userunknown');
    expect(planAddress(email, { suppression: permanent, soft: null }, [hard, delivered('2026-06-19T11:00:00Z')], cfg, now).suppression).toBeNull();
    const limited = { ...permanent, reason: 'soft_bounce_limit' as const, expires_at: '2026-07-01T00:00:00Z' };
    expect(planAddress(email, { suppression: limited, soft: null }, [hard], cfg, now).suppression).toMatchObject({ reason: 'hard_bounce', expires_at: null });
  });

  it('suppresses on a complaint, not on a report that the message is not spam, failed authentication or carried a virus', () => {
    const complaint = (feedback_type: string | null): CanonicalEvent => ({
      id: `t:${++seq}`, provider: 'ses', type: 'complained', recipient: email, occurred_at: '2026-06-19T10:00:00Z', message_id: null, complaint: { feedback_type },
    });
    for (const type of ['abuse', 'fraud', 'other', 'Abuse', null]) expect(suppressionWithoutHistory(complaint(type), cfg), String(type)).toBe('complaint');
    // Not spam (RFC 6430); a receiver's DKIM/SPF/DMARC failure report (RFC 6591) and its virus
    // scanner's report (RFC 5965), which nobody complained of.
    for (const type of ['not-spam', 'miscategorized', 'auth-failure', 'virus', 'Virus']) {
      expect(suppressionWithoutHistory(complaint(type), cfg), type).toBeNull();
      expect(planAddress(email, empty, [complaint(type)], cfg, now).suppression, type).toBeNull();
    }
  });

  it('follows SUPPRESS_UNSUBSCRIBES', () => {
    const unsub: CanonicalEvent = { id: 'u', provider: 'ses', type: 'unsubscribed', recipient: email, occurred_at: '2026-06-19T10:00:00Z', message_id: null };
    expect(suppressionWithoutHistory(unsub, cfg)).toBe('unsubscribed');
    expect(suppressionWithoutHistory(unsub, { ...cfg, suppressUnsubscribes: false })).toBeNull();
    // A provider's drop because it lists the address as unsubscribed is an unsubscribe too.
    const listed: CanonicalEvent = { ...unsub, id: 'du', type: 'dropped', provider_suppression: 'unsubscribed' };
    expect(suppressionWithoutHistory(listed, cfg)).toBe('unsubscribed');
    expect(suppressionWithoutHistory(listed, { ...cfg, suppressUnsubscribes: false })).toBeNull();
  });

  it('uses the provider list for drops, and records deferrals only', () => {
    const dropped: CanonicalEvent = { id: 'd', provider: 'ses', type: 'dropped', recipient: email, occurred_at: '2026-06-19T10:00:00Z', message_id: null, provider_suppression: 'complaint' };
    expect(suppressionWithoutHistory(dropped, cfg)).toBe('complaint');
    const deferred = { ...bounce('2026-06-19T10:00:00Z', 'soft', 'mailboxfull'), type: 'deferred' as const };
    expect(suppressionWithoutHistory(deferred, { ...cfg, softBounceLimit: 1 })).toBeNull();
  });

  it('never suppresses on a batch without a new soft bounce, such as a late delivery after a lift', () => {
    const three = ['2026-06-10', '2026-06-11', '2026-06-12'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull'));
    const history = planAddress(email, empty, three, cfg, now).soft!;
    // The suppression was lifted by hand; a delivery older than the bounces comes in late.
    const late = planAddress(email, { suppression: null, soft: history }, [delivered('2026-06-09T08:00:00Z')], cfg, now);
    expect(late.suppression).toBeNull();
    // A new bounce in the window suppresses again: the history still counts.
    const again = planAddress(email, { suppression: null, soft: history }, [bounce('2026-06-13T08:00:00Z', 'soft', 'mailboxfull')], cfg, now);
    expect(again.suppression).toMatchObject({ reason: 'soft_bounce_limit', expires_at: '2026-07-13T08:00:00.000Z' });
  });

  it('counts undetermined bounces, but never one that may not be this address\'s (a stand-in, one of several)', () => {
    const days = ['2026-06-10', '2026-06-11', '2026-06-12', '2026-06-13'];
    const unknown = days.map((d) => bounce(`${d}T08:00:00Z`, 'undetermined', 'undefined'));
    expect(planAddress(email, empty, unknown, cfg, now).suppression?.reason).toBe('soft_bounce_limit');
    for (const why of ['stand-in', 'one-of-several'] as const) {
      const notTheirs = days.map((d) => {
        const e = bounce(`${d}T08:00:00Z`, 'soft', 'userunknown');
        return { ...e, bounce: unattributed(e.bounce!, why) };
      });
      const plan = planAddress(email, empty, notTheirs, cfg, now);
      expect(plan.suppression, why).toBeNull();
      expect(plan.soft, why).toBeNull();
    }
  });

  it('does not count an out-of-office reply (or a delivery report) that came in as a bounce', () => {
    for (const reason of ['vacation', 'delivered', 'feedback'] as const) {
      const replies = ['2026-06-10', '2026-06-11', '2026-06-12'].map((d) => bounce(`${d}T08:00:00Z`, 'undetermined', reason));
      expect(planAddress(email, empty, replies, cfg, now), reason).toEqual({ suppression: null, soft: null });
    }
  });

  it('counts the limit as reached when it was, before a delivery that came after it', () => {
    const events = [...['2026-06-01', '2026-06-02', '2026-06-03'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull')), delivered('2026-06-04T08:00:00Z')];
    for (const order of [events, [...events].reverse()]) {
      const plan = planAddress(email, empty, order, cfg, now);
      expect(plan.suppression).toMatchObject({ reason: 'soft_bounce_limit', expires_at: '2026-07-03T08:00:00.000Z' });
      expect(plan.soft).toEqual({ bounces: {}, delivered_at: '2026-06-04T08:00:00Z' });
    }
  });

  it('takes a delivery at the same instant as a bounce as before it, in one batch or in two', () => {
    const [b10, b11, b12] = ['2026-06-10', '2026-06-11', '2026-06-12'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull'));
    const d12 = delivered('2026-06-12T08:00:00Z');
    const together = planAddress(email, empty, [b10!, b11!, b12!, d12], cfg, now);
    const first = planAddress(email, empty, [b10!, b11!, d12], cfg, now);
    const apart = planAddress(email, { suppression: null, soft: first.soft }, [b12!], cfg, now);
    expect(together.suppression).toBeNull();
    expect(apart.suppression).toBeNull();
  });

  it('names a bounce of this batch as the source, also when a stored one completed the window', () => {
    const stored = planAddress(email, empty, ['2026-06-03', '2026-06-04'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull')), cfg, now).soft!;
    const late = { ...bounce('2026-06-02T08:00:00Z', 'soft', 'mailboxfull'), provider: 'postmark' as const };
    const plan = planAddress(email, { suppression: null, soft: stored }, [late], cfg, now);
    expect(plan.suppression).toMatchObject({ expires_at: '2026-07-04T08:00:00.000Z', source: { provider: 'postmark', event_id: late.id } });
  });

  it('counts a delivery dated ahead of now, and a year past 9999, as now', () => {
    const ahead = planAddress(email, empty, [delivered('2036-01-01T00:00:00Z')], cfg, now).soft!;
    expect(ahead.delivered_at).toBe('2026-06-20T00:00:00.000Z');
    const far = planAddress(email, empty, [bounce('+020000-01-01T00:00:00.000Z', 'soft', 'mailboxfull')], { ...cfg, softBounceLimit: 1 }, now);
    expect(far.suppression?.expires_at).toBe('2026-07-20T00:00:00.000Z');
  });

  it('counts a bounce dated ahead of now as now', () => {
    const events = ['2036-06-10', '2036-06-11', '2036-06-12'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull'));
    const plan = planAddress(email, empty, events, cfg, now);
    expect(plan.suppression).toMatchObject({ reason: 'soft_bounce_limit', expires_at: '2026-07-20T00:00:00.000Z' });
    expect(Object.values(plan.soft!.bounces)).toEqual(['2026-06-20T00:00:00.000Z', '2026-06-20T00:00:00.000Z', '2026-06-20T00:00:00.000Z']);
  });

  it('reaches the same suppression whatever order the bounces arrive in', () => {
    const early = ['2026-06-01', '2026-06-02', '2026-06-03'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull'));
    const later = bounce('2026-06-19T08:00:00Z', 'soft', 'mailboxfull');
    const inOrder = planAddress(email, empty, early, cfg, now);
    const lateFirst = planAddress(email, empty, [later], cfg, now);
    expect(lateFirst.suppression).toBeNull();
    const thenEarly = planAddress(email, { suppression: null, soft: lateFirst.soft }, early, cfg, now);
    expect(thenEarly.suppression).toMatchObject({ reason: 'soft_bounce_limit', expires_at: '2026-07-03T08:00:00.000Z' });
    expect(thenEarly.suppression!.expires_at).toBe(inOrder.suppression!.expires_at);
    // All four in one batch: the same.
    expect(planAddress(email, empty, [later, ...early], cfg, now).suppression!.expires_at).toBe('2026-07-03T08:00:00.000Z');
  });

  it('ends a suppression after the latest window that reached the limit, extending an active one, whatever the order', () => {
    const early = ['2026-05-29', '2026-05-30', '2026-05-31'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull'));
    const late = ['2026-06-17', '2026-06-18', '2026-06-19'].map((d) => bounce(`${d}T08:00:00Z`, 'soft', 'mailboxfull'));
    const ends = '2026-07-19T08:00:00.000Z';
    const inTurn = (first: CanonicalEvent[], second: CanonicalEvent[]) => {
      const one = planAddress(email, empty, first, cfg, now);
      const two = planAddress(email, { suppression: one.suppression, soft: one.soft }, second, cfg, now);
      return two.suppression ?? one.suppression;
    };
    const earlyFirst = inTurn(early, late);
    expect(earlyFirst).toMatchObject({ reason: 'soft_bounce_limit', expires_at: ends });
    // Extended, not made anew: it keeps when it was made.
    expect(earlyFirst!.created_at).toBe(planAddress(email, empty, early, cfg, now).suppression!.created_at);
    expect(inTurn(late, early)).toMatchObject({ expires_at: ends });
    expect(planAddress(email, empty, [...early, ...late], cfg, now).suppression).toMatchObject({ expires_at: ends });
    // An earlier window never shortens it, and a permanent suppression is never made time-limited.
    const active = planAddress(email, empty, late, cfg, now).suppression!;
    expect(planAddress(email, { suppression: active, soft: null }, early, cfg, now).suppression).toBeNull();
    const hard = { ...active, reason: 'hard_bounce' as const, expires_at: null };
    expect(planAddress(email, { suppression: hard, soft: null }, late, cfg, now).suppression).toBeNull();
    // A time-limited suppression of another reason (an import may give one an end) is left as it is,
    // and an end past the year 9999 is later than any window's, not earlier because it sorts so.
    const imported = { ...active, reason: 'complaint' as const, expires_at: '2026-07-01T00:00:00.000Z' };
    expect(planAddress(email, { suppression: imported, soft: null }, late, cfg, now).suppression).toBeNull();
    const far = { ...active, expires_at: '+010000-01-01T00:00:00.000Z' };
    expect(planAddress(email, { suppression: far, soft: null }, late, cfg, now).suppression).toBeNull();
  });

  it('keeps a bounded history however often an address bounces', () => {
    const many = Array.from({ length: 500 }, (_, i) => bounce(new Date(Date.parse('2026-06-19T00:00:00Z') + i * 1000).toISOString(), 'soft', 'mailboxfull'));
    const plan = planAddress(email, { suppression: null, soft: null }, many, { ...cfg, softBounceLimit: 1000 }, now);
    expect(Object.keys(plan.soft!.bounces).length).toBe(500);
    const small = planAddress(email, { suppression: null, soft: null }, many, cfg, now);
    expect(Object.keys(small.soft!.bounces).length).toBe(32);
  });
});

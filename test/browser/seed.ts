/**
 * Seeded data for the browser test: canonical events written through the store's one entry point
 * (applyEvents, called from Node), and what the dashboard should show for them, counted here
 * independently of the store so a wrong counter or a wrong chart both show up.
 */
import type { BounceDetail, CanonicalEvent, EventType, ProviderName } from '../../src/core/event.js';
import { readConfig } from '../../src/config.js';
import { applyEvents } from '../../src/store/apply.js';
import { dynamoClient } from '../../src/store/client.js';

const HOUR = 3_600_000;

/** A hard bounce whose address is odd but valid, to search for and unsuppress through the UI. */
export const ODD_ADDRESS = "o'neil&{x}@alpha.test";
/** A diagnostic a hostile server could send: must show as text, never run. */
export const HOSTILE_DIAGNOSTIC = '554 5.7.1 <img src=x onerror="window.__xss=1"><script>window.__xss=2</script> blocked using zen.spamhaus.org';

const hard = (status: string, reason: BounceDetail['reason'] = 'userunknown'): BounceDetail => ({
  class: 'hard', reason, reply_code: '550', status, diagnostic: `550 ${status} user unknown`, provider_class: 'Permanent', rule: `status:${status}`,
});
const soft = (reason: BounceDetail['reason'], status: string, diagnostic = `452 ${status} mailbox full`): BounceDetail => ({
  class: 'soft', reason, reply_code: diagnostic.slice(0, 3), status, diagnostic, provider_class: 'Transient', rule: `status:${status}`,
});

/** Events of the last six days (the test also looks at them hour by hour over seven days). */
export function seedEvents(now: Date): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  const providers: ProviderName[] = ['ses', 'sendgrid', 'postmark'];
  const add = (type: EventType, recipient: string, hoursAgo: number, extra: Partial<CanonicalEvent> = {}) => {
    const n = events.length;
    events.push({
      id: `seed:${n}`,
      provider: providers[n % providers.length]!,
      type,
      recipient,
      occurred_at: new Date(now.getTime() - hoursAgo * HOUR - (n % 60) * 60_000).toISOString(),
      message_id: `<seed-${n}@rebote.test>`,
      ...extra,
    });
  };
  const domains = ['alpha.test', 'beta.test', 'gamma.test', 'example.com'];
  for (let i = 0; i < 30; i++) add('delivered', `reader${i}@${domains[i % 4]}`, 2 + i * 5);
  add('bounced', 'gone1@alpha.test', 5, { bounce: hard('5.1.1') });
  add('bounced', 'gone2@alpha.test', 46, { bounce: hard('5.1.1') });
  add('bounced', ODD_ADDRESS, 90, { bounce: hard('5.1.1') });
  add('bounced', 'gone3@beta.test', 30, { bounce: hard('5.1.1') });
  add('bounced', 'gone4@beta.test', 135, { bounce: hard('5.1.1') });
  add('bounced', 'nobody@nxdomain.test', 8, { bounce: hard('5.1.2', 'hostunknown') });
  add('bounced', 'full1@gamma.test', 20, { bounce: soft('mailboxfull', '4.2.2') });
  add('bounced', 'full2@gamma.test', 70, { bounce: soft('mailboxfull', '4.2.2') });
  add('bounced', 'reader1@beta.test', 3, { bounce: soft('blocked', '5.7.1', HOSTILE_DIAGNOSTIC) });
  add('bounced', 'reader5@beta.test', 110, { bounce: soft('blocked', '5.7.1', '554 5.7.1 rejected: listed at a DNSBL') });
  for (const h of [4, 36, 80]) add('deferred', `slow${h}@beta.test`, h, { bounce: soft('expired', '4.4.7', '451 4.4.7 delivery time expired') });
  add('complained', 'angry@example.com', 9, { complaint: { feedback_type: 'abuse' } });
  add('complained', 'cross@gamma.test', 100, { complaint: { feedback_type: 'abuse' } });
  add('dropped', 'listed@alpha.test', 60, {
    bounce: { ...hard('5.1.1'), provider_class: 'Bounced Address', rule: 'provider:hint' }, provider_suppression: 'hard_bounce',
  });
  add('unsubscribed', 'bye@example.com', 125);
  return events;
}

/** Manual suppressions added through PUT /v1/suppressions (the note is hostile on purpose). */
export const MANUAL: { email: string; reason: string; note: string }[] = [
  { email: 'asked@example.com', reason: 'manual', note: '<img src=x onerror="window.__xss=3">asked by phone' },
  { email: 'typo@exmaple.com', reason: 'invalid', note: 'imported from the old list' },
];

export interface Expected {
  byType: Record<string, number>;
  byClass: Record<string, number>;
  byReason: Record<string, number>;
  byProvider: Record<string, number>;
  domains: Record<string, { bounced: number; complained: number; dropped: number; total: number }>;
  /** Addresses the policy suppresses (SPEC §3) plus the manual ones. */
  suppressed: string[];
}

const bump = (r: Record<string, number>, k: string) => { r[k] = (r[k] ?? 0) + 1; };

/**
 * What /v1/stats should count: classes and reasons of every event that carries a bounce (bounced,
 * deferred, dropped), `feedback` as the reason of a complaint; top domains over the failures
 * (bounced, complained, dropped).
 */
export function expected(events: CanonicalEvent[]): Expected {
  const e: Expected = { byType: {}, byClass: {}, byReason: {}, byProvider: {}, domains: {}, suppressed: [] };
  const suppressed = new Set<string>();
  for (const ev of events) {
    bump(e.byType, ev.type);
    bump(e.byProvider, ev.provider);
    if (ev.bounce) {
      bump(e.byClass, ev.bounce.class);
      bump(e.byReason, ev.bounce.reason);
    } else if (ev.type === 'complained') bump(e.byReason, 'feedback');
    if (ev.type === 'bounced' || ev.type === 'complained' || ev.type === 'dropped') {
      const domain = ev.recipient.slice(ev.recipient.lastIndexOf('@') + 1);
      const d = (e.domains[domain] ??= { bounced: 0, complained: 0, dropped: 0, total: 0 });
      d[ev.type]++;
      d.total++;
    }
    if ((ev.type === 'bounced' && ev.bounce?.class === 'hard') || ev.type === 'complained' || ev.type === 'unsubscribed'
      || (ev.type === 'dropped' && ev.provider_suppression)) suppressed.add(ev.recipient);
  }
  for (const m of MANUAL) suppressed.add(m.email);
  e.suppressed = [...suppressed].sort();
  return e;
}

/** Writes events through the store, as a webhook would. */
export async function store(worker: { ddbEndpoint: string; table: string }, events: CanonicalEvent[], now: Date) {
  const cfg = readConfig({ DDB_TABLE: worker.table, DDB_ENDPOINT: worker.ddbEndpoint });
  const outcome = await applyEvents(dynamoClient(cfg), cfg, events, now);
  if (outcome.accepted !== events.length) throw new Error(`seeding stored ${outcome.accepted} of ${events.length} events`);
}

/** Writes the events through the store, then the manual suppressions through the API. */
export async function seed(worker: { url: string; ddbEndpoint: string; table: string }, adminKey: string, events: CanonicalEvent[], now: Date) {
  await store(worker, events, now);
  for (const m of MANUAL) {
    const res = await fetch(`${worker.url}/v1/suppressions/${encodeURIComponent(m.email)}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ reason: m.reason, note: m.note }),
    });
    if (!res.ok) throw new Error(`PUT /v1/suppressions/${m.email}: ${res.status} ${await res.text()}`);
  }
}

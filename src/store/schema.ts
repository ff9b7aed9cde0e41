/**
 * The single-table design, defined once (table.json holds the CreateTable input that the local
 * start script, the test setup and the infra test all read).
 *
 * Access patterns and how each is served (never a Scan):
 *
 * | pattern                                  | operation | key                                                  |
 * |------------------------------------------|-----------|------------------------------------------------------|
 * | is this address suppressed?              | GetItem   | pk=A#<email>, sk=SUP                                 |
 * | bulk check (≤1000 addresses)             | BatchGet  | same keys, 100 per call                              |
 * | suppressions by reason, by time          | Query     | gsi1: gsi1pk=SUPR#<reason>, gsi1sk=<created_at>#<email> |
 * | suppressions of a domain, by time        | Query     | gsi2: gsi2pk=SUPD#<domain>, gsi2sk=<created_at>#<email> |
 * | events of an address, newest first       | Query     | pk=EP#<yyyy-mm>#<bucket of the address>, sk=<yyyy-mm-dd>#<page id>: read, then filtered |
 * | events by time, newest first             | Query ×4  | gsi1: gsi1pk=EV#<yyyy-mm-dd>[#<shard>], gsi1sk=<received_at>#<page id>, merged |
 * | days / months that hold late pages       | Query     | pk=LATE#EV, sk=<yyyy-mm-dd>; pk=LATE#EP#<bucket>, sk=<yyyy-mm> (the next older one) |
 * | idempotency of an input                  | conditional Put of its event pages (a page's key derives from its events' ids) |
 * | soft-bounce history of an address        | GetItem   | pk=A#<email>, sk=SOFT                                |
 * | stats by interval                        | Query     | pk=C#<yyyy-mm>, sk=<dd>|<hour>|<provider>|<type>|<class>|<reason>[#<shard>] |
 * | top bouncing domains                     | Query     | pk=CD#<yyyy-mm>, sk=<dd>|<domain>|<type>[#<shard>]  |
 * | one-time request values (replay refusal) | PutItem if unclaimed, else GetItem | pk=R#<provider>:<value>, sk=R, digest |
 * | payloads verified but not parsed, newest  | Query     | pk=DL, sk=<received_at>#<id>; body parts pk=DLB#<id>#<n>, sk=P (BatchGet) |
 *
 * Events are stored as pages (pages.ts): the events of one input that happened on one day and whose
 * recipients share a bucket, deflated into one item.
 *
 * A page of events that happened well before they arrived (a late page, pages.ts) also leaves a
 * marker of its day and of its address bucket's month: listings walk back day by day (month by
 * month) only as far as pages that are not late can be, and jump from marker to marker beyond.
 *
 * Counters are kept in COUNTER_SHARDS copies (counterSk), added up when read: every input's
 * transaction adds to them, and on DynamoDB two transactions that touch one item at once cancel
 * each other (TransactionConflict), so webhooks of one event each, arriving together, would all
 * queue on the one counter of their hour. A transaction writes to one copy, chosen by its first
 * page, so a batch costs no more items than before.
 *
 * The by-time index spreads a day's pages over BY_TIME_SHARDS keys (by their bucket), and a
 * listing merges them: DynamoDB serves one index key from one partition, about 1,000 write units
 * a second, and its sort key (the time received) always grows, so DynamoDB cannot split a hot
 * key's writes. On one key, a sender's one-event webhooks (SES, Postmark, Mailgun, ... send one
 * event a request) would be throttled above about a thousand a second, and a throttled index
 * throttles the table's writes with it.
 *
 * TTL (`ttl`, epoch seconds) expires event pages after EVENT_RETENTION_DAYS, soft-bounce histories
 * after their window and time-limited suppressions after SOFT_SUPPRESSION_DAYS. TTL deletion is
 * lazy, so readers also compare `expires_at` with the clock.
 */
import table from './table.json';

export const TABLE_DEFINITION = table;

export const key = {
  address: (email: string) => `A#${email}`,
  suppressionSk: 'SUP',
  softSk: 'SOFT',
  eventPage: (month: string, bucket: number) => `EP#${month}#${String(bucket).padStart(2, '0')}`,
  pageSk: (day: string, pageId: string) => `${day}#${pageId}`,
  /** Shard 0 is the plain key, the one every page had before shards. */
  eventDay: (day: string, shard: number) => (shard === 0 ? `EV#${day}` : `EV#${day}#${shard}`),
  pageByTime: (receivedAt: string, pageId: string) => `${receivedAt}#${pageId}`,
  /** Markers of late pages (sk: their day), for listings of everyone's events. */
  lateDays: 'LATE#EV',
  /** Markers of late pages (sk: their month), for listings of the addresses of one bucket. */
  lateMonths: (bucket: number) => `LATE#EP#${String(bucket).padStart(2, '0')}`,
  suppressionReason: (reason: string) => `SUPR#${reason}`,
  suppressionDomain: (domain: string) => `SUPD#${domain}`,
  counterMonth: (month: string) => `C#${month}`,
  domainCounterMonth: (month: string) => `CD#${month}`,
  replay: (value: string) => `R#${value}`,
  deadLetters: 'DL',
  deadLetterBody: (id: string) => `DLB#${id}`,
  replaySk: 'R',
} as const;

export const INDEX = { byTime: 'gsi1', byDomain: 'gsi2' } as const;

export const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** How many keys of the by-time index a day's event pages are spread over (see above). */
export const BY_TIME_SHARDS = 4;

/** How many copies of each stats counter (see above); copy 0 is the plain sort key. */
export const COUNTER_SHARDS = 8;

/** The sort key of a counter's copy `shard` (0 ≤ shard < COUNTER_SHARDS). */
export const counterSk = (sk: string, shard: number): string => (shard === 0 ? sk : `${sk}#${shard}`);

/** A counter's sort key without its copy's suffix. */
export const counterSkBase = (sk: string): string => sk.replace(/#\d+$/, '');

/** The counter copy a transaction writes to, from its first page's id (hex). */
export const counterShardOf = (pageId: string): number => parseInt(pageId.slice(0, 2), 16) % COUNTER_SHARDS;

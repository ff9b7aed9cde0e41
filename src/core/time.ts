export const DAY_MS = 86_400_000;

/**
 * An ISO 8601 instant the store's keys and the query API can hold (years 1970 to 9999; the ISO
 * text of any other year starts with "+", "-" or a year before 1970), else null.
 */
export const storableIso = (iso: string | null): string | null => (iso !== null && iso >= '1970-' && iso < '9999-12-31T24' ? iso : null);

/**
 * The time of an event (a provider's ISO text, epoch seconds or milliseconds; an email's date) as
 * ISO 8601, or null when it is not one or lies outside the years the store's keys and the query
 * API hold (1970 to 9999): an event dated there would be stored where no listing or count reaches.
 */
export function eventIso(v: unknown): string | null {
  if (typeof v !== 'number' && typeof v !== 'string') return null;
  // A time's text is short: a long one is not kept (the map would hold on to it).
  if (typeof v === 'string' && v.length > MAX_KEPT_TEXT) return storableIso(toIso(v));
  // The events of a batch mostly share their times: answers are kept by the value as given.
  let iso = recentTimes.get(v);
  if (iso === undefined) {
    iso = storableIso(toIso(v));
    if (recentTimes.size >= MAX_RECENT_TIMES) recentTimes.clear();
    recentTimes.set(v, iso);
  }
  return iso;
}

const recentTimes = new Map<number | string, string | null>();
const MAX_RECENT_TIMES = 4096;
const MAX_KEPT_TEXT = 64;

/** `yyyy-mm-dd` of an ISO 8601 instant (UTC). */
export const dayOf = (iso: string): string => iso.slice(0, 10);
/** `hh` (UTC) of an ISO 8601 instant. */
export const hourOf = (iso: string): string => iso.slice(11, 13);

/** Normalizes a provider time (ISO string, epoch seconds or ms) to ISO 8601, or null. */
export function toIso(value: unknown): string | null {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const s = value.trim();
    ms = /^\d+(\.\d+)?$/.test(s) ? (Number(s) < 1e11 ? Number(s) * 1000 : Number(s)) : Date.parse(s);
  } else return null;
  if (!Number.isFinite(ms)) return null;
  return isoOfMs(ms);
}

/** The latest time in ECMAScript's range (±8.64e15 ms around the epoch). */
const MAX_TIME = 8.64e15;

// The UTC day of the last instant formatted through Date: its first millisecond, and the date
// part of its ISO form up to and including the 'T'. A batch's events mostly fall on one day.
let dayStart = Number.NaN;
let dayPrefix = '';

const DIGIT = 0x30;

/**
 * `new Date(ms).toISOString()`, or null for a time outside ECMAScript's range. On the day of the
 * last call (whole non-negative milliseconds only), the time of day is written directly: the
 * same text, without a Date and its formatting for every event.
 */
function isoOfMs(ms: number): string | null {
  if (ms >= dayStart && ms < dayStart + DAY_MS && ms <= MAX_TIME && Number.isInteger(ms)) {
    let t = ms - dayStart;
    const milli = t % 1000;
    t = (t - milli) / 1000;
    const sec = t % 60;
    t = (t - sec) / 60;
    const min = t % 60;
    const hour = (t - min) / 60;
    return dayPrefix + String.fromCharCode(
      DIGIT + ((hour / 10) | 0), DIGIT + (hour % 10), 0x3a, DIGIT + ((min / 10) | 0), DIGIT + (min % 10), 0x3a,
      DIGIT + ((sec / 10) | 0), DIGIT + (sec % 10), 0x2e,
      DIGIT + ((milli / 100) | 0), DIGIT + (((milli / 10) | 0) % 10), DIGIT + (milli % 10), 0x5a,
    );
  }
  const d = new Date(ms);
  const time = d.getTime();
  if (Number.isNaN(time)) return null;
  const iso = d.toISOString();
  if (time >= 0) {
    dayStart = time - (time % DAY_MS);
    dayPrefix = iso.slice(0, iso.length - 13); // 'HH:mm:ss.sssZ' is always the last 13
  }
  return iso;
}

/**
 * A date or time written as ISO 8601 (RFC 3339) in the query API: `2026-11-01`,
 * `2026-11-01T10:00`, `2026-11-01T10:00:00.5Z`, `2026-11-01T10:00:00+02:00`; no zone is UTC.
 * Milliseconds since 1970, or null for anything else, including a day or time that does not
 * exist (`2026-02-30`, `T24:00`), which Date.parse would roll over into another one, and the
 * loose forms Date.parse also takes (`10/05/2026`, `May 10`, `1`). A space before the offset is
 * read as `+`: an unencoded `+` in a query string arrives as one (`…T10:00:00+02:00` typed in a
 * URL as it is).
 */
const API_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+ -]\d{2}:?\d{2})?)?$/;

export function parseApiDate(written: string): number | null {
  const m = API_DATE.exec(written);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return null;
  const zone = m[7];
  const s = zone?.startsWith(' ') ? `${written.slice(0, -zone.length)}+${zone.slice(1)}` : written;
  if (zone !== undefined && zone.length > 1 && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(-2)) > 59)) return null;
  // Without a zone, a date-time is UTC (so Date.parse must not read it as local time).
  const t = Date.parse(m[4] !== undefined && zone === undefined ? `${s.replace(/[t ]/, 'T')}Z` : s.replace(/[t ]/, 'T').replace(/z$/, 'Z'));
  return Number.isNaN(t) ? null : t;
}

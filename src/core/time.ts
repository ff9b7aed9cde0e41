export const DAY_MS = 86_400_000;

/** `yyyy-mm-dd` of an ISO 8601 instant (UTC). */
export const dayOf = (iso: string): string => iso.slice(0, 10);
/** `hh` (UTC) of an ISO 8601 instant. */
export const hourOf = (iso: string): string => iso.slice(11, 13);

// Events of one batch mostly share their time: the last answer is kept for the next call.
let lastValue: unknown;
let lastIso: string | null = null;

/** Normalizes a provider time (ISO string, epoch seconds or ms) to ISO 8601, or null. */
export function toIso(value: unknown): string | null {
  if (value === lastValue && (typeof value === 'number' || typeof value === 'string')) return lastIso;
  const iso = computeIso(value);
  lastValue = value;
  lastIso = iso;
  return iso;
}

function computeIso(value: unknown): string | null {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const s = value.trim();
    ms = /^\d+(\.\d+)?$/.test(s) ? (Number(s) < 1e11 ? Number(s) * 1000 : Number(s)) : Date.parse(s);
  } else return null;
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventIso, parseApiDate, toIso } from '../../src/core/time.js';

/** What toIso gives by definition: Date's own ISO text of the time in milliseconds, or null. */
function reference(value: unknown): string | null {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const s = value.trim();
    ms = /^\d+(\.\d+)?$/.test(s) ? (Number(s) < 1e11 ? Number(s) * 1000 : Number(s)) : Date.parse(s);
  } else return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

describe('toIso', () => {
  it('reads epoch seconds, epoch milliseconds and ISO text; refuses the rest', () => {
    expect(toIso(1700000000)).toBe('2023-11-14T22:13:20.000Z');
    expect(toIso(1700000000123)).toBe('2023-11-14T22:13:20.123Z');
    expect(toIso(' 1700000000.5 ')).toBe('2023-11-14T22:13:20.500Z');
    expect(toIso('2023-11-14T23:13:20+01:00')).toBe('2023-11-14T22:13:20.000Z');
    for (const bad of [null, undefined, '', ' ', 'soon', true, {}, Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, '+275760-09-13T00:00:00.001Z']) {
      expect(toIso(bad), String(bad)).toBeNull();
    }
  });

  it('gives Date\'s own text across day, year and range edges, in any order of calls', () => {
    const values: unknown[] = [];
    for (const base of [0, 86_400_000, 951_782_400_000, 1_700_006_400_000, 253_402_300_800_000, 8.64e15 - 86_400_000, 8.64e15]) {
      for (const d of [-86_400_001, -1001, -1, 0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, 86_399_999, 86_400_000]) {
        values.push(base + d, base + d + 0.5, (base + d) / 1000, String(base + d), -(base + d));
      }
    }
    values.push(-0, 0.0004, 1e11 - 1, 1e11, 99_999_999_999.5);
    for (let round = 0; round < 2; round++) {
      for (const v of values) expect(toIso(v), String(v)).toBe(reference(v));
      values.reverse();
    }
  });

  it('gives Date\'s own text for random times of a batch spread over days', () => {
    const time = fc.oneof(
      fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
      fc.integer({ min: 0, max: 8.64e15 }),
      fc.double({ min: -1e13, max: 1e13, noNaN: true }),
      fc.integer({ min: 1_700_000_000, max: 1_700_300_000 }).map(String),
    );
    fc.assert(fc.property(fc.array(time, { minLength: 1, maxLength: 20 }), (batch) => {
      for (const v of batch) expect(toIso(v)).toBe(reference(v));
    }), { numRuns: 2000, seed: 20261129 });
  });
});

describe('eventIso', () => {
  it('answers as afresh when times repeat, also past the number of answers it keeps, and only for storable years', () => {
    const storable = (iso: string | null) => (iso !== null && iso >= '1970-' && iso < '9999-12-31T24' ? iso : null);
    const values: unknown[] = [];
    // More distinct times than it keeps (4096), each seen twice, as numbers and as text.
    for (let i = 0; i < 5000; i++) values.push(1_700_000_000 + (i % 4500), String(1_700_000_000 + ((i * 7) % 300)));
    values.push(-1, 0, '1969-12-31T23:59:59Z', '+010000-01-01T00:00:00Z', 253_402_300_800_000, '2026-11-30T10:00:00+01:00', '', ' ', null, {}, Number.NaN);
    values.push(`${' '.repeat(100)}1700000000`, `2026-11-30T10:00:00Z${' '.repeat(100)}`);
    for (let round = 0; round < 2; round++) {
      for (const v of values) expect(eventIso(v), String(v)).toBe(storable(reference(v)));
      values.reverse();
    }
    expect(eventIso(-1)).toBeNull();
    expect(eventIso(253_402_300_800_000)).toBeNull(); // year 10000, in milliseconds
  });
});

describe('parseApiDate', () => {
  it('reads the ISO 8601 forms, a time without a zone as UTC', () => {
    expect(parseApiDate('2026-11-01')).toBe(Date.UTC(2026, 10, 1));
    expect(parseApiDate('2026-11-01T10:00')).toBe(Date.UTC(2026, 10, 1, 10));
    expect(parseApiDate('2026-11-01 10:00:30')).toBe(Date.UTC(2026, 10, 1, 10, 0, 30));
    expect(parseApiDate('2026-11-01T10:00:00.250Z')).toBe(Date.UTC(2026, 10, 1, 10, 0, 0, 250));
    expect(parseApiDate('2026-11-01T10:00:00+02:00')).toBe(Date.UTC(2026, 10, 1, 8));
    expect(parseApiDate('2026-11-01T10:00:00-0530')).toBe(Date.UTC(2026, 10, 1, 15, 30));
    expect(parseApiDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('reads a space before the offset as the + a query string turned into one', () => {
    expect(parseApiDate('2026-11-01T10:00:00 02:00')).toBe(Date.UTC(2026, 10, 1, 8));
    expect(parseApiDate('2026-11-01 10:00 0530')).toBe(Date.UTC(2026, 10, 1, 4, 30));
    expect(parseApiDate('2026-11-01T10:00:00 25:00')).toBeNull();
    expect(parseApiDate('2026-11-01 02:00')).toBe(Date.UTC(2026, 10, 1, 2));
  });

  it('refuses days and times that do not exist, which Date.parse rolls over into others', () => {
    for (const s of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '2026-11-00', '2026-11-01T24:00', '2026-11-01T10:60', '2026-11-01T10:00:61Z', '2026-11-01T10:00+24:00']) {
      expect(parseApiDate(s), s).toBeNull();
    }
    // What the query API did with such a day before: another day.
    expect(new Date(Date.parse('2026-02-30')).toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('refuses the loose forms Date.parse takes', () => {
    for (const s of ['1', '12', 'May 10', '10/05/2026', 'Sun Nov 01 2026', '2026-11', '2026', '20261101', ' 2026-11-01', '2026-11-01T10']) {
      expect(parseApiDate(s), s).toBeNull();
    }
  });
});

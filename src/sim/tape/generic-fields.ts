import type { EpochMs, Price } from '../../engine/units.js';
import { PRICE_SCALE } from '../../engine/units.js';
import { INT32_MAX } from './csv-bytes.js';

/** Reports a bad field; the caller adds file, line and column. */
export type Fail = (what: string) => never;

// ISO-8601 with a mandatory offset or Z: a bare local time would be ambiguous across time zones.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2})?)$/i;
/** Epoch ms below this (1973-03-03) is almost surely epoch seconds given by mistake. */
const MIN_EPOCH_MS = 100_000_000_000;

/**
 * A time field: ISO-8601 with offset or Z ("2024-03-01T09:30:00.123-05:00"), or integer epoch ms.
 * Fractions finer than 1 ms are truncated (never rounded up, so no event moves later).
 */
export function parseTime(text: string, fail: Fail): EpochMs {
  if (/^\d+$/.test(text)) {
    const ms = Number(text);
    if (!Number.isSafeInteger(ms)) fail(`time ${text} is out of range`);
    if (ms < MIN_EPOCH_MS) fail(`time ${text} is too small for epoch ms (epoch seconds? multiply by 1000)`);
    return ms;
  }
  const m = ISO.exec(text);
  if (m === null) fail(`time "${text}" is neither ISO-8601 with an offset/Z nor integer epoch ms`);
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const s = Number(m[6] ?? '0');
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 2024-02-30 over to March: a round trip catches impossible fields.
  const back = new Date(utc);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1 || h > 23 || mi > 59 || s > 59) {
    fail(`time "${text}" is not a valid date-time`);
  }
  if (m[8] !== undefined) return utc;
  const offsetMin = Number(m[10]) * 60 + Number(m[11] ?? '0');
  return m[9] === '+' ? utc - offsetMin * 60_000 : utc + offsetMin * 60_000;
}

/**
 * A price in decimal dollars ("49.03", "0.1234") to exact 1/10,000 dollar units, by string
 * arithmetic so that no binary float rounding creeps in. More than 4 decimals is an error, not a
 * silent rounding. An empty field is 0 (no quote on that side).
 */
export function parsePrice(text: string, fail: Fail): Price {
  if (text === '') return 0;
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (m === null) fail(`price "${text}" is not a non-negative decimal number`);
  const frac = m[2] ?? '';
  if (frac.length > 4) fail(`price "${text}" has more than 4 decimals`);
  const units = Number(m[1]) * PRICE_SCALE + Number(frac.padEnd(4, '0'));
  if (units > INT32_MAX) fail(`price "${text}" is above the Int32 range (${INT32_MAX / PRICE_SCALE} dollars)`);
  return units;
}

/** A size in whole shares; required (callers skip it for a side with no price). */
export function parseSize(text: string, fail: Fail): number {
  if (text === '') fail('size is empty');
  if (!/^\d+$/.test(text)) fail(`size "${text}" is not a non-negative integer`);
  const n = Number(text);
  if (n > INT32_MAX) fail(`size ${text} is above the Int32 range (${INT32_MAX})`);
  return n;
}

import type { Tape } from '../../sim/tape/tape.js';
import { priceToWireNumber } from './wire-units.js';

/**
 * Alpaca's historical stock quotes and trades (`GET /v2/stocks/{symbol}/quotes|trades` and the
 * multi-symbol `GET /v2/stocks/quotes|trades?symbols=`), served from the tape. Paginated as Alpaca
 * does: at most `limit` rows (default 1000, max 10000) per page, `next_page_token` set while rows
 * remain, `page_token` continues the same query. `start`/`end` are inclusive (RFC-3339 or a date).
 */
export interface HistoryReply {
  readonly status: number;
  readonly body: unknown;
}

const err = (status: number, code: number, message: string): HistoryReply => ({ status, body: { code, message } });

/** RFC-3339 with nanoseconds, as Alpaca sends (`2024-06-03T13:30:00.123000000Z`). */
export function isoNanos(ms: number): string {
  const whole = Math.floor(ms);
  const iso = new Date(whole).toISOString(); // ...T13:30:00.123Z
  const subMs = Math.round((ms - whole) * 1e6);
  return `${iso.slice(0, 23)}${String(subMs).padStart(6, '0')}Z`;
}

/** RFC-3339 (any precision; sub-ms digits are truncated) or YYYY-MM-DD (00:00 UTC). */
function parseBound(v: string | null, fallback: number): number | null {
  if (v === null || v === '') return fallback;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isFinite(t) ? t : null;
}

const encodeToken = (kind: string, symbol: string, index: number): string => Buffer.from(`${kind}|${symbol}|${index}`).toString('base64url');

function decodeToken(token: string, kind: string, symbol: string): number | null {
  const parts = Buffer.from(token, 'base64url').toString('utf8').split('|');
  if (parts.length !== 3 || parts[0] !== kind || parts[1] !== symbol || !/^\d+$/.test(parts[2] ?? '')) return null;
  return Number(parts[2]);
}

/** Rows of one kind in [start, end], sorted as asked, one page from the token on. */
export function historyPage(tapeOf: (symbol: string) => Tape | undefined, kind: 'quotes' | 'trades', symbol: string, url: URL, multi: boolean): HistoryReply {
  const q = url.searchParams;
  const limitText = q.get('limit');
  const limit = limitText === null ? 1000 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000) return err(400, 40010001, 'invalid limit: must be between 1 and 10000');
  const sort = q.get('sort') ?? 'asc';
  if (sort !== 'asc' && sort !== 'desc') return err(400, 40010001, 'invalid sort: must be asc or desc');
  const start = parseBound(q.get('start'), -Infinity);
  const end = parseBound(q.get('end'), Infinity);
  if (start === null || end === null) return err(400, 40010001, 'invalid start or end: expected RFC-3339');
  const tape = tapeOf(symbol);
  const rows = tape === undefined ? null : kind === 'quotes' ? tape.quotes : tape.trades;
  const times = rows?.time;
  const n = rows?.length ?? 0;
  // Tape rows are in time order: the range is [lo, hi).
  let lo = 0;
  while (lo < n && times![lo]! < start) lo++;
  let hi = lo;
  while (hi < n && times![hi]! <= end) hi++;
  const total = hi - lo;
  const token = q.get('page_token');
  let offset = 0;
  if (token !== null && token !== '') {
    const o = decodeToken(token, kind, symbol);
    if (o === null || o > total) return err(400, 40010001, 'invalid page_token');
    offset = o;
  }
  const count = Math.min(limit, total - offset);
  const out: Record<string, unknown>[] = [];
  for (let k = offset; k < offset + count; k++) {
    const i = sort === 'asc' ? lo + k : hi - 1 - k;
    out.push(kind === 'quotes' ? quoteRow(tape!, i) : tradeRow(tape!, i));
  }
  const next = offset + count < total ? encodeToken(kind, symbol, offset + count) : null;
  const body = multi ? { [kind]: out.length > 0 ? { [symbol]: out } : {}, next_page_token: next, currency: 'USD' } : { symbol, [kind]: out, next_page_token: next, currency: 'USD' };
  return { status: 200, body };
}

function quoteRow(tape: Tape, i: number): Record<string, unknown> {
  const q = tape.quotes;
  return { t: isoNanos(q.time[i]!), bx: 'Q', bp: priceToWireNumber(q.bid[i]!), bs: q.bidSize[i]!, ax: 'Q', ap: priceToWireNumber(q.ask[i]!), as: q.askSize[i]!, c: ['R'], z: 'C' };
}

function tradeRow(tape: Tape, i: number): Record<string, unknown> {
  const tr = tape.trades!;
  return { t: isoNanos(tr.time[i]!), x: 'Q', p: priceToWireNumber(tr.price[i]!), s: tr.size[i]!, c: ['@'], i: i + 1, z: 'C' };
}

/** Routes the four history paths (any symbol the venue has a tape of); null when the path is not one of them. */
export function routeHistory(tapeOf: (symbol: string) => Tape | undefined, path: string, url: URL): HistoryReply | null {
  let m = /^\/v2\/stocks\/([^/]+)\/(quotes|trades)$/.exec(path);
  if (m) return historyPage(tapeOf, m[2] as 'quotes' | 'trades', decodeURIComponent(m[1]!).toUpperCase(), url, false);
  m = /^\/v2\/stocks\/(quotes|trades)$/.exec(path);
  if (!m) return null;
  const symbols = (url.searchParams.get('symbols') ?? '').split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  if (symbols.length !== 1) return symbols.length === 0 ? err(400, 40010001, 'symbols is required') : err(400, 40010001, 'the emulator serves one symbol per request');
  return historyPage(tapeOf, m[1] as 'quotes' | 'trades', symbols[0]!, url, true);
}

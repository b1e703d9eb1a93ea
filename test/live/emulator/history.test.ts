import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { endpointFetch } from '../../../src/live/alpaca-endpoint.js';
import { isoNanos } from '../../../src/live/emulator/market-history.js';
import { startEmulator, type RunningEmulator } from '../../../src/live/emulator/server.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:28:00', toEt: '09:35:00' });
let emu: RunningEmulator;
let alpaca: Alpaca;

beforeAll(async () => {
  emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:30:00'), speed: 1 });
  alpaca = new Alpaca({ keyId: emu.keys.keyId, secret: emu.keys.secret, fetchApi: endpointFetch(emu.baseUrl), retry: false, rateLimit: false });
});
afterAll(() => emu.close());

/** Tape row indexes whose time is in [start, end]. */
function rowsIn(times: Float64Array, length: number, start: number, end: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) if (times[i]! >= start && times[i]! <= end) out.push(i);
  return out;
}

describe('historical quotes and trades from the tape, paginated as Alpaca does', () => {
  const start = new Date(etClockToEpoch(DATE, '09:29:30'));
  const end = new Date(etClockToEpoch(DATE, '09:31:00'));

  it('reads every quote in [start, end] exactly once over many pages (single-symbol endpoint)', async () => {
    const expected = rowsIn(tape.quotes.time, tape.quotes.length, start.getTime(), end.getTime());
    expect(expected.length).toBeGreaterThan(250);
    const got: { t: Date; bp: number; ap: number; bs: number; as: number }[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await alpaca.marketData.stocks.stockQuoteSingle({ symbol: tape.symbol, start, end, limit: 100, ...(pageToken ? { pageToken } : {}) });
      expect(page.symbol).toBe(tape.symbol);
      expect(page.quotes.length).toBeLessThanOrEqual(100);
      got.push(...page.quotes);
      pageToken = page.nextPageToken ?? undefined;
      pages++;
    } while (pageToken !== undefined);
    expect(pages).toBe(Math.ceil(expected.length / 100));
    expect(got).toHaveLength(expected.length);
    got.forEach((q, k) => {
      const i = expected[k]!;
      expect(q.t.getTime()).toBe(tape.quotes.time[i]);
      expect(q.bp).toBe(tape.quotes.bid[i]! / 10_000);
      expect(q.ap).toBe(tape.quotes.ask[i]! / 10_000);
      expect(q.bs).toBe(tape.quotes.bidSize[i]);
      expect(q.as).toBe(tape.quotes.askSize[i]);
    });
  });

  it('reads every trade in the range through the facade’s multi-symbol pagination', async () => {
    const tr = tape.trades!;
    const expected = rowsIn(tr.time, tr.length, start.getTime(), end.getTime());
    expect(expected.length).toBeGreaterThan(20);
    const got: { t: Date; p: number; s: number }[] = [];
    for await (const { symbol, value } of alpaca.marketData.iterateStockTrades({ symbols: [tape.symbol], start, end, limit: 7 })) {
      expect(symbol).toBe(tape.symbol);
      got.push(value);
    }
    expect(got.map((t) => new Date(t.t).getTime())).toEqual(expected.map((i) => tr.time[i]));
    expect(got.map((t) => t.p)).toEqual(expected.map((i) => tr.price[i]! / 10_000));
    expect(got.map((t) => t.s)).toEqual(expected.map((i) => tr.size[i]));
  });

  it('sends RFC-3339 timestamps with nanoseconds, next_page_token null on the last page, and refuses a bad token', async () => {
    const headers = { 'APCA-API-KEY-ID': emu.keys.keyId, 'APCA-API-SECRET-KEY': emu.keys.secret };
    const q = `start=${start.toISOString()}&end=${end.toISOString()}&limit=10000`;
    const res = await fetch(`${emu.baseUrl}/v2/stocks/${tape.symbol}/trades?${q}`, { headers });
    const body = (await res.json()) as { trades: { t: string }[]; next_page_token: string | null };
    expect(body.next_page_token).toBeNull();
    expect(body.trades[0]!.t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(isoNanos(Date.UTC(2024, 5, 3, 13, 30, 0, 123))).toBe('2024-06-03T13:30:00.123000000Z');
    const bad = await fetch(`${emu.baseUrl}/v2/stocks/${tape.symbol}/quotes?${q}&page_token=garbage`, { headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe('invalid page_token');
    const desc = await alpaca.marketData.stocks.stockQuoteSingle({ symbol: tape.symbol, start, end, limit: 3, sort: 'desc' });
    const last = rowsIn(tape.quotes.time, tape.quotes.length, start.getTime(), end.getTime()).at(-1)!;
    expect(desc.quotes[0]!.t.getTime()).toBe(tape.quotes.time[last]);
  });
});

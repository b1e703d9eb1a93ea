import { Alpaca, ApiError, trading } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { endpointFetch, streamUrls } from '../../../src/live/alpaca-endpoint.js';
import { startEmulator, type RunningEmulator } from '../../../src/live/emulator/server.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { lastIndexAtOrBefore } from '../../../src/sim/tape/tape.js';

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 7, { fromEt: '09:25:00', toEt: '09:45:00' });
let emu: RunningEmulator;
let alpaca: Alpaca;
const streams: { disconnect(): void }[] = [];

function client(keyId: string, secret: string): Alpaca {
  return new Alpaca({ keyId, secret, fetchApi: endpointFetch(emu.baseUrl), retry: false, rateLimit: false });
}

beforeAll(async () => {
  emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:30:00'), speed: 10 });
  alpaca = client(emu.keys.keyId, emu.keys.secret);
});

afterAll(async () => {
  for (const s of streams) s.disconnect();
  await emu.close();
});

async function tradeStream() {
  const s = alpaca.trading.stream({ url: streamUrls(emu.baseUrl).trading, reconnect: false });
  streams.push(s);
  const events: { event: string; order: trading.Order; price?: string; qty?: string; timestamp?: Date }[] = [];
  s.onTradeUpdate((u) => events.push(u));
  s.onConnect(() => s.subscribeTradeUpdates());
  s.connect();
  expect((await s.whenAuthenticated()).authenticated).toBe(true);
  return { events };
}

async function until<T>(what: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function nbboAt(t: number): { bid: number; ask: number } {
  const qi = lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, t);
  return { bid: tape.quotes.bid[qi]! / 10_000, ask: tape.quotes.ask[qi]! / 10_000 };
}

describe('loopback Alpaca emulator with the real SDK', () => {
  it('serves account, clock, calendar and asset', async () => {
    const account = await alpaca.trading.account.getAccount();
    expect(account.status).toBe('ACTIVE');
    expect(account.cash).toBe('100000.00');
    const clock = await alpaca.trading.clock.legacyClock();
    expect(clock.isOpen).toBe(true);
    expect(clock.timestamp.getTime()).toBeGreaterThanOrEqual(etClockToEpoch(DATE, '09:30:00'));
    const cal = await alpaca.trading.calendar.legacyCalendar({ start: new Date(`${DATE}T12:00:00Z`), end: new Date(`${DATE}T12:00:00Z`) });
    expect(cal).toHaveLength(1);
    const asset = await alpaca.trading.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: tape.symbol });
    expect(asset.symbol).toBe(tape.symbol);
  });

  it('works through a raw Configuration basePath too', async () => {
    const api = new trading.AccountsApi(new trading.Configuration({ basePath: emu.baseUrl, keyId: emu.keys.keyId, secret: emu.keys.secret }));
    expect((await api.getAccount()).status).toBe('ACTIVE');
  });

  it('refuses bad keys with 401 and Alpaca’s error body, on REST and on both streams', async () => {
    const bad = client(emu.keys.keyId, 'wrong');
    const err = await bad.trading.account.getAccount().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect((err as ApiError).code).toBe(40110000);
    const ts = bad.trading.stream({ url: streamUrls(emu.baseUrl).trading, reconnect: false });
    streams.push(ts);
    ts.connect();
    const tr = await ts.whenAuthenticated();
    expect(tr.authenticated).toBe(false);
    expect(tr.status).toBe('server_rejected');
    const ds = bad.marketData.stockStream({ url: streamUrls(emu.baseUrl).stocks, reconnect: false });
    streams.push(ds);
    ds.connect();
    const dr = await ds.whenAuthenticated();
    expect(dr.authenticated).toBe(false);
    expect(dr.code).toBe(402);
  });

  it('fills a marketable limit and reports it on trade_updates; finds it by client id', async () => {
    const { events } = await tradeStream();
    const latest = await alpaca.marketData.stocks.stockLatestQuoteSingle({ symbol: tape.symbol });
    const limit = (Math.round(latest.quote.ap * 100) + 20) / 100;
    const order = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 10, side: 'buy', limitPrice: limit, timeInForce: 'day', clientOrderId: 'happy-1' });
    expect(order.clientOrderId).toBe('happy-1');
    const fill = await until(() => events.find((e) => e.event === 'fill' && e.order.clientOrderId === 'happy-1'));
    expect(events.find((e) => e.event === 'new' && e.order.clientOrderId === 'happy-1')).toBeDefined();
    expect(fill.qty).toBe('10');
    const price = Number(fill.price);
    const filledAt = fill.order.filledAt!.getTime();
    const nbbo = nbboAt(filledAt);
    expect(price).toBeLessThanOrEqual(limit);
    // 10 shares fit in the displayed ask: the buy fills at the ask prevailing at its execution time.
    expect(price).toBe(nbbo.ask);
    expect(fill.timestamp?.getTime()).toBe(filledAt);
    const found = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'happy-1' });
    expect(found.status).toBe('filled');
    expect(found.filledQty).toBe('10');
    const positions = await alpaca.trading.positions.getAllOpenPositions();
    expect(positions[0]?.qty).toBe('10');
    // A second order with the same client id is refused as Alpaca does.
    const dup = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 1, side: 'buy', limitPrice: limit, clientOrderId: 'happy-1' }).catch((e: unknown) => e);
    expect((dup as ApiError).status).toBe(422);
  });

  it('cancels a resting order and reports the cancel on the stream', async () => {
    const { events } = await tradeStream();
    const latest = await alpaca.marketData.stocks.stockLatestQuoteSingle({ symbol: tape.symbol });
    const far = Math.floor(latest.quote.bp * 0.5 * 100) / 100;
    const order = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 5, side: 'buy', limitPrice: far, clientOrderId: 'rest-1' });
    await until(() => events.find((e) => e.event === 'new' && e.order.clientOrderId === 'rest-1'));
    const open = await alpaca.trading.orders.getAllOrders({ status: 'open' });
    expect(open.map((o) => o.clientOrderId)).toContain('rest-1');
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: order.id! });
    const cancelled = await until(() => events.find((e) => e.event === 'canceled' && e.order.clientOrderId === 'rest-1'));
    expect(cancelled.order.filledQty).toBe('0');
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! })).status).toBe('canceled');
  });

  it('replaces a resting order (pending_replace, then replaced) and the replacement works', async () => {
    const { events } = await tradeStream();
    const latest = await alpaca.marketData.stocks.stockLatestQuoteSingle({ symbol: tape.symbol });
    const far = Math.floor(latest.quote.bp * 0.5 * 100) / 100;
    const order = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 4, side: 'buy', limitPrice: far, clientOrderId: 'rep-1' });
    await until(() => events.find((e) => e.event === 'new' && e.order.clientOrderId === 'rep-1'));
    // Re-peg through the marketable side: the replacement should fill at the tape's ask.
    const through = (Math.ceil(latest.quote.ap * 1.02 * 100) / 100).toFixed(2);
    const fresh = await alpaca.trading.orders.patchOrderByOrderId({ orderId: order.id!, patchOrderRequest: { limitPrice: through, clientOrderId: 'rep-2' } });
    expect(fresh.clientOrderId).toBe('rep-2');
    expect(fresh.replaces).toBe(order.id);
    const replaced = await until(() => events.find((e) => e.event === 'replaced' && e.order.clientOrderId === 'rep-1'));
    expect(replaced.order.replacedBy).toBe(fresh.id);
    const fill = await until(() => events.find((e) => e.event === 'fill' && e.order.clientOrderId === 'rep-2'));
    expect(fill.qty).toBe('4');
    const { bid, ask } = nbboAt(fill.timestamp!.getTime());
    expect(Number(fill.price)).toBeGreaterThanOrEqual(bid);
    expect(Number(fill.price)).toBeLessThanOrEqual(Number(through));
    expect(Number(fill.price)).toBeLessThanOrEqual(ask + 0.05); // took the far side (and at most walked a few ticks)
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: order.id! })).status).toBe('replaced');
  });

  it('lists exactly the order requests received in the audit', async () => {
    const res = await fetch(`${emu.baseUrl}/__audit`);
    const { orders } = (await res.json()) as { orders: { action: string; clientOrderId: string; httpStatus: number; status: string | null }[] };
    expect(orders.map((o) => [o.action, o.clientOrderId, o.httpStatus, o.status])).toEqual([
      ['submit', 'happy-1', 200, 'filled'],
      ['submit', 'happy-1', 422, null],
      ['submit', 'rest-1', 200, 'canceled'],
      ['cancel', 'rest-1', 204, null],
      ['submit', 'rep-1', 200, 'replaced'],
      ['replace', 'rep-2', 200, 'filled'],
    ]);
  });

  it('streams quotes from the tape', async () => {
    const ds = alpaca.marketData.stockStream({ url: streamUrls(emu.baseUrl).stocks, reconnect: false });
    streams.push(ds);
    const quotes: { bidPrice: number; askPrice: number; timestamp: Date | undefined }[] = [];
    ds.onQuote((q) => quotes.push(q));
    ds.onConnect(() => ds.subscribeForQuotes([tape.symbol]));
    ds.connect();
    expect((await ds.whenAuthenticated()).authenticated).toBe(true);
    await until(() => (quotes.length >= 3 ? true : undefined));
    for (const q of quotes.slice(0, 3)) {
      const t = q.timestamp!.getTime();
      const qi = lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, t);
      expect(tape.quotes.time[qi]).toBe(t);
      expect(q.bidPrice).toBe(tape.quotes.bid[qi]! / 10_000);
      expect(q.askPrice).toBe(tape.quotes.ask[qi]! / 10_000);
    }
  });
});

import { Alpaca, ApiError, type trading } from '@alpacahq/alpaca-trade-api';
import { afterEach, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { endpointFetch, streamUrls } from '../../../src/live/alpaca-endpoint.js';
import { parseFaults } from '../../../src/live/emulator/faults.js';
import { startEmulator, type RunningEmulator } from '../../../src/live/emulator/server.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { runCli } from '../../cli/run-cli.js';

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 5, { fromEt: '09:25:00', toEt: '09:45:00' });
const open: { emu: RunningEmulator; streams: { disconnect(): void }[] }[] = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    for (const s of o.streams) s.disconnect();
    await o.emu.close();
  }
});

interface Audit {
  orders: { action: string; clientOrderId: string | null; orderId: string | null; httpStatus: number; outcome: string; fault?: string; status: string | null; filledQty: string | null }[];
  faults: { fault: string; detail: string }[];
}

async function setup(faults: string, seed = '1') {
  const emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:30:00'), speed: 10, faults, seed });
  const streams: { disconnect(): void }[] = [];
  open.push({ emu, streams });
  const alpaca = new Alpaca({ keyId: emu.keys.keyId, secret: emu.keys.secret, fetchApi: endpointFetch(emu.baseUrl), retry: false, rateLimit: false });
  const audit = async (): Promise<Audit> => (await (await fetch(`${emu.baseUrl}/__audit`)).json()) as Audit;
  const events: { event: string; order: trading.Order; qty?: string; price?: string; at: number }[] = [];
  const tradeStream = async () => {
    const s = alpaca.trading.stream({ url: streamUrls(emu.baseUrl).trading, reconnect: false });
    streams.push(s);
    s.onTradeUpdate((u) => events.push({ ...u, at: performance.now() }));
    s.onConnect(() => s.subscribeTradeUpdates());
    s.connect();
    expect((await s.whenAuthenticated()).authenticated).toBe(true);
    return s;
  };
  const far = (side: 'buy' | 'sell'): number => {
    const q = emu.venue.currentQuoteIndex();
    const p = side === 'buy' ? tape.quotes.ask[q]! : tape.quotes.bid[q]!;
    return Math.round((p / 10_000) * (side === 'buy' ? 1.02 : 0.98) * 100) / 100;
  };
  return { emu, alpaca, audit, events, tradeStream, far, streams };
}

async function until<T>(what: () => T | undefined | Promise<T | undefined>, ms = 4000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('emulator faults, with the real SDK, asserted from the audit', () => {
  it('parses the --faults syntax and refuses bad items with one line', () => {
    const f = parseFaults('drop@09:31:00,http5xx=0.2,http429=0.1,delay-ack=500,reset-after-accept=2,reject=3,reject=bad-,partial=0.5,fill-during-cancel,lookup-lag=800,stall-stream=2,lookup-5xx=0.5,cancel-5xx=2,rest=3');
    expect(f).toEqual({ drops: ['09:31:00'], http5xx: 0.2, http429: 0.1, delayAckMs: 500, resetAfterAccept: [2], rejectNth: [3], rejectPrefixes: ['bad-'], rejectSellSymbols: [], partialFraction: 0.5, fillDuringCancel: true, lookupLagMs: 800, stallStreams: 2, lookup5xx: 0.5, cancel5xx: 2, restFirst: 3 });
    expect(parseFaults('partial').partialFraction).toBe(0.25);
    expect(parseFaults('stall-stream').stallStreams).toBe(Infinity);
    for (const bad of ['bogus', 'drop@9:31', 'http5xx=2', 'delay-ack=x', 'reset-after-accept=0', 'reject=', 'partial=1', 'http5xx=0.8,http429=0.5', 'lookup-lag', 'lookup-lag=-1', 'stall-stream=0', 'lookup-5xx=2', 'cancel-5xx=x', 'rest=0']) {
      expect(() => parseFaults(bad)).toThrow(/^--faults: .*$/);
    }
    const r = runCli(['emulator', '--tape', 'nope.csv', '--faults', 'drop@25:00:00']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad fault "drop@25:00:00"/);
  });

  it('drop@: closes every websocket (trading and data) once at that tape time', async () => {
    // 2 s of wall time after the start (10x): both streams must be up before the drop, and on a
    // loaded machine two handshakes took more than the 0.5 s this test used to allow.
    const { alpaca, audit, tradeStream, emu, streams } = await setup('drop@09:30:20');
    const ts = await tradeStream();
    let tradingDown = 0;
    let dataDown = 0;
    ts.onDisconnect(() => tradingDown++);
    const ds = alpaca.marketData.stockStream({ url: streamUrls(emu.baseUrl).stocks, reconnect: false });
    streams.push(ds);
    ds.onDisconnect(() => dataDown++);
    ds.connect();
    expect((await ds.whenAuthenticated()).authenticated).toBe(true);
    expect(emu.venue.now(), 'both streams were up only after the drop time').toBeLessThan(etClockToEpoch(DATE, '09:30:20'));
    const a = await until(async () => {
      const x = await audit();
      return x.faults.length > 0 ? x : undefined;
    });
    expect(a.faults).toEqual([expect.objectContaining({ fault: 'drop', detail: 'drop@09:30:20: closed 2 websocket connection(s)' })]);
    await until(() => (tradingDown > 0 && dataDown > 0 ? true : undefined));
    expect(emu.venue.now()).toBeGreaterThanOrEqual(etClockToEpoch(DATE, '09:30:20'));
    // Once only: a new connection after the drop stays up.
    await tradeStream();
    await new Promise((r) => setTimeout(r, 200));
    expect((await audit()).faults).toHaveLength(1);
  });

  it('http5xx / http429: a seeded share of REST answers fail before anything is done', async () => {
    const run = async () => {
      const { alpaca, audit, emu } = await setup('http5xx=0.2,http429=0.1', '42');
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        const r = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 1, side: 'buy', limitPrice: 1, clientOrderId: `h-${i}` }).then(
          () => 200,
          (e: unknown) => (e as ApiError).status,
        );
        statuses.push(r);
      }
      const a = await audit();
      return { statuses, a, emu };
    };
    const first = await run();
    const second = await run();
    expect(second.statuses).toEqual(first.statuses);
    const n500 = first.statuses.filter((s) => s === 500).length;
    const n429 = first.statuses.filter((s) => s === 429).length;
    expect(n500).toBeGreaterThan(3);
    expect(n429).toBeGreaterThan(1);
    expect(n500 + n429 + first.statuses.filter((s) => s === 200).length).toBe(60);
    // A faulted POST had no effect: no order exists for it, and the audit says so.
    const faulted = first.a.orders.filter((o) => o.httpStatus === 500 || o.httpStatus === 429);
    expect(faulted).toHaveLength(n500 + n429);
    for (const o of faulted) expect(o.orderId).toBeNull();
    first.statuses.forEach((s, i) => expect(first.emu.venue.orderByClientId(`h-${i}`) !== undefined).toBe(s === 200));
    expect(first.a.faults.filter((f) => f.fault === 'http5xx')).toHaveLength(n500);
  });

  it('delay-ack: the POST answer and the `new` update come MS late while the order already works', async () => {
    const { alpaca, audit, events, tradeStream, emu, far } = await setup('delay-ack=400');
    await tradeStream();
    const t0 = performance.now();
    let workedBeforeAck = false;
    const watch = setInterval(() => {
      const s = emu.venue.orderByClientId('slow-1')?.status;
      if (s === 'new' || s === 'filled' || s === 'partially_filled') workedBeforeAck = true;
    }, 5);
    const o = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 5, side: 'buy', limitPrice: far('buy'), clientOrderId: 'slow-1' });
    clearInterval(watch);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    expect(o.clientOrderId).toBe('slow-1');
    expect(workedBeforeAck).toBe(true);
    const fill = await until(() => events.find((e) => e.event === 'fill'));
    const ack = events.find((e) => e.event === 'new')!;
    expect(ack.at - t0).toBeGreaterThanOrEqual(390);
    expect(events.indexOf(ack)).toBeLessThan(events.indexOf(fill));
    const a = await audit();
    expect(a.orders.map((x) => [x.clientOrderId, x.httpStatus, x.fault, x.status, x.filledQty])).toEqual([['slow-1', 200, 'delay-ack', 'filled', '5']]);
  });

  it('reset-after-accept: the Nth POST is accepted but its connection is reset (the ambiguous POST)', async () => {
    const { alpaca, audit, far } = await setup('reset-after-accept=2');
    await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 1, side: 'buy', limitPrice: far('buy'), clientOrderId: 'r-1' });
    const err = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 3, side: 'buy', limitPrice: far('buy'), clientOrderId: 'r-2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApiError);
    const found = await until(async () => {
      const o = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'r-2' });
      return o.status === 'filled' ? o : undefined;
    });
    expect(found.filledQty).toBe('3');
    const a = await audit();
    expect(a.orders.map((x) => [x.clientOrderId, x.httpStatus, x.outcome, x.fault ?? null, x.status])).toEqual([
      ['r-1', 200, 'accepted', null, 'filled'],
      ['r-2', 0, 'accepted', 'reset-after-accept', 'filled'],
    ]);
  });

  it('reject=N and reject=PREFIX: 403 insufficient buying power, no order created', async () => {
    const { alpaca, audit, far } = await setup('reject=2,reject=bad-');
    await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 1, side: 'buy', limitPrice: far('buy'), clientOrderId: 'j-1' });
    for (const cid of ['j-2', 'bad-3']) {
      const err = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 1, side: 'buy', limitPrice: far('buy'), clientOrderId: cid }).catch((e: unknown) => e);
      expect((err as ApiError).status).toBe(403);
      expect((err as ApiError).code).toBe(40310000);
      const nf = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: cid }).catch((e: unknown) => e);
      expect((nf as ApiError).status).toBe(404);
    }
    const a = await audit();
    expect(a.orders.map((x) => [x.clientOrderId, x.httpStatus, x.outcome, x.orderId === null])).toEqual([
      ['j-1', 200, 'accepted', false],
      ['j-2', 403, 'insufficient buying power', true],
      ['bad-3', 403, 'insufficient buying power', true],
    ]);
  });

  it('partial: fills arrive as several partial fills summing to the order', async () => {
    const { alpaca, audit, events, tradeStream, far } = await setup('partial=0.25');
    await tradeStream();
    await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 8, side: 'buy', limitPrice: far('buy'), clientOrderId: 'p-1' });
    await until(() => events.find((e) => e.event === 'fill'));
    const fills = events.filter((e) => e.event === 'partial_fill' || e.event === 'fill');
    expect(fills.length).toBeGreaterThanOrEqual(4);
    expect(fills.slice(0, -1).every((e) => e.event === 'partial_fill')).toBe(true);
    expect(fills.every((e) => Number(e.qty) <= 2)).toBe(true);
    expect(fills.reduce((s, e) => s + Number(e.qty), 0)).toBe(8);
    const a = await audit();
    expect(a.orders.map((x) => [x.clientOrderId, x.status, x.filledQty])).toEqual([['p-1', 'filled', '8']]);
  });

  it('fill-during-cancel: the order fills first and the cancel gets 422 "order is not cancelable"', async () => {
    const { alpaca, audit, events, tradeStream, emu } = await setup('fill-during-cancel');
    await tradeStream();
    const bid = tape.quotes.bid[emu.venue.currentQuoteIndex()]! / 10_000;
    const limit = Math.floor(bid * 0.9 * 100) / 100;
    const o = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 6, side: 'buy', limitPrice: limit, clientOrderId: 'c-1' });
    await until(() => events.find((e) => e.event === 'new'));
    const err = await alpaca.trading.orders.deleteOrderByOrderID({ orderId: o.id! }).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(422);
    expect((err as ApiError).message).toMatch(/order is not cancelable/);
    const fill = await until(() => events.find((e) => e.event === 'fill'));
    expect(fill.qty).toBe('6');
    expect(Number(fill.price)).toBeLessThanOrEqual(limit);
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: o.id! })).status).toBe('filled');
    await new Promise((r) => setTimeout(r, 300));
    expect(events.some((e) => e.event === 'canceled')).toBe(false);
    const a = await audit();
    expect(a.orders.map((x) => [x.action, x.clientOrderId, x.httpStatus, x.fault ?? null, x.status, x.filledQty])).toEqual([
      ['submit', 'c-1', 200, null, 'filled', '6'],
      ['cancel', 'c-1', 422, 'fill-during-cancel', null, null],
    ]);
  });

  it('lookup-lag: a just-created order is invisible to every lookup for MS, then found; the duplicate check sees it at once', async () => {
    const { alpaca, audit, far } = await setup('lookup-lag=1000');
    const t0 = performance.now();
    const o = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 2, side: 'buy', limitPrice: far('buy'), clientOrderId: 'lag-1' });
    const misses = await Promise.all([
      alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'lag-1' }).catch((e: unknown) => e),
      alpaca.trading.orders.getOrderByOrderID({ orderId: o.id! }).catch((e: unknown) => e),
    ]);
    expect(performance.now() - t0).toBeLessThan(1000); // both lookups really ran inside the lag
    for (const m of misses) expect((m as ApiError).status).toBe(404);
    expect(await alpaca.trading.orders.getAllOrders({ status: 'all' })).toEqual([]);
    // A second POST under the same client id is refused although lookups cannot see the first.
    const dup = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 2, side: 'buy', limitPrice: far('buy'), clientOrderId: 'lag-1' }).catch((e: unknown) => e);
    expect((dup as ApiError).status).toBe(422);
    expect((dup as ApiError).message).toMatch(/client_order_id must be unique/);
    const found = await until(() => alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'lag-1' }).catch(() => undefined), 3000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(found.id).toBe(o.id);
    const a = await audit();
    expect(a.faults.filter((f) => f.fault === 'lookup-lag').length).toBeGreaterThanOrEqual(3);
    expect(a.orders.filter((x) => x.action === 'submit').map((x) => [x.clientOrderId, x.httpStatus])).toEqual([['lag-1', 200], ['lag-1', 422]]);
  });

  it('stall-stream=1: the first websocket upgrade is never answered (the client needs a handshake timeout); the next one works', async () => {
    const { emu, audit } = await setup('stall-stream=1');
    const { WebSocket } = await import('ws');
    const attempt = (): Promise<string> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${emu.wsUrl}/stream`, { handshakeTimeout: 300 });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', (e) => resolve(`error: ${e.message}`));
      });
    const t0 = performance.now();
    expect(await attempt()).toMatch(/^error: Opening handshake has timed out/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(await attempt()).toBe('open');
    expect((await audit()).faults.map((f) => f.fault)).toEqual(['stall-stream']);
  });

  it('lookup-5xx=1 fails every order lookup with 500; cancel-5xx=1 fails the first DELETE, unprocessed', async () => {
    const { alpaca, audit, emu } = await setup('lookup-5xx=1,cancel-5xx=1');
    const bid = tape.quotes.bid[emu.venue.currentQuoteIndex()]! / 10_000;
    const o = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 3, side: 'buy', limitPrice: Math.floor(bid * 0.5 * 100) / 100, clientOrderId: 'l5-1' });
    const lookups = await Promise.all([
      alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'l5-1' }).catch((e: unknown) => e),
      alpaca.trading.orders.getOrderByOrderID({ orderId: o.id! }).catch((e: unknown) => e),
      alpaca.trading.orders.getAllOrders({ status: 'open' }).catch((e: unknown) => e),
    ]);
    for (const l of lookups) expect((l as ApiError).status).toBe(500);
    const first = await alpaca.trading.orders.deleteOrderByOrderID({ orderId: o.id! }).catch((e: unknown) => e);
    expect((first as ApiError).status).toBe(500);
    expect(emu.venue.order(o.id!)?.status).not.toBe('pending_cancel'); // not processed
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: o.id! });
    await until(() => (emu.venue.order(o.id!)?.status === 'canceled' ? true : undefined));
    const a = await audit();
    expect(a.orders.filter((x) => x.action === 'cancel').map((x) => [x.clientOrderId, x.httpStatus, x.fault ?? null])).toEqual([['l5-1', 500, 'cancel-5xx'], ['l5-1', 204, null]]);
    expect(a.faults.filter((f) => f.fault === 'lookup-5xx')).toHaveLength(3);
  });

  it('rest=2: the first two limit orders are never matched, even far through the ask; a market order is not held; cancels and replaces still work; the third limit fills', async () => {
    const { alpaca, audit, emu, far } = await setup('rest=2');
    // A market order neither rests nor uses up the count (a fallback must still be able to complete).
    const m = await alpaca.trading.orders.market({ symbol: tape.symbol, qty: 5, side: 'buy', clientOrderId: 'rest-m' });
    await until(() => (emu.venue.order(m.id!)?.status === 'filled' ? true : undefined));
    const through = far('buy'); // 2 % above the ask: marketable
    const a = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 5, side: 'buy', limitPrice: through, clientOrderId: 'rest-1' });
    const b = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 5, side: 'buy', limitPrice: through, clientOrderId: 'rest-2' });
    await new Promise((r) => setTimeout(r, 300)); // 3 venue seconds: a matched order would have filled
    expect([emu.venue.order(a.id!)?.status, emu.venue.order(b.id!)?.status]).toEqual(['new', 'new']);
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: a.id! });
    const replacement = await alpaca.trading.orders.patchOrderByOrderId({ orderId: b.id!, patchOrderRequest: { qty: '5', limitPrice: String(through), clientOrderId: 'rest-2b' } });
    await until(() => (emu.venue.order(a.id!)?.status === 'canceled' && emu.venue.order(b.id!)?.status === 'replaced' ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(emu.venue.order(replacement.id!)).toMatchObject({ status: 'new', filledQty: 0 }); // the replacement rests too
    const c = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 5, side: 'buy', limitPrice: far('buy'), clientOrderId: 'rest-3' });
    await until(() => (emu.venue.order(c.id!)?.status === 'filled' ? true : undefined));
    expect((await audit()).faults.filter((f) => f.fault === 'rest')).toHaveLength(2);
  });
});

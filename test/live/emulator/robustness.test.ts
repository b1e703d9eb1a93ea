import { request } from 'node:http';
import { encode as msgpackEncode, decode as msgpackDecode } from '@msgpack/msgpack';
import { Alpaca, ApiError } from '@alpacahq/alpaca-trade-api';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { endpointFetch } from '../../../src/live/alpaca-endpoint.js';
import { keysFromEnv, DEFAULT_EMULATOR_KEYS } from '../../../src/live/emulator/keys.js';
import { MAX_BODY_BYTES } from '../../../src/live/emulator/rest-api.js';
import { startEmulator, type RunningEmulator } from '../../../src/live/emulator/server.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 9, { fromEt: '09:25:00', toEt: '09:45:00' });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let emu: RunningEmulator;
let alpaca: Alpaca;

beforeAll(async () => {
  emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:31:00'), speed: 10 });
  alpaca = new Alpaca({ keyId: emu.keys.keyId, secret: emu.keys.secret, fetchApi: endpointFetch(emu.baseUrl), retry: false, rateLimit: false });
});
afterAll(async () => {
  await emu.close();
});

/** Opens a raw websocket, sends `frames` one by one, and returns every frame the server sent back. */
async function exchange(path: string, frames: readonly (string | Uint8Array)[], decode: (d: Buffer) => unknown): Promise<unknown[]> {
  const ws = new WebSocket(`${emu.wsUrl}${path}`, { handshakeTimeout: 2000 });
  const got: unknown[] = [];
  ws.on('message', (d: Buffer) => got.push(decode(d)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  for (const f of frames) ws.send(f);
  // Every frame is answered; wait for as many answers as frames sent (plus the data stream's greeting).
  const want = frames.length + (path === '/stream' ? 0 : 1);
  const end = Date.now() + 3000;
  while (got.length < want && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  ws.close();
  return got;
}

/** Sends raw HTTP with the given headers and body and returns the status and how long the answer took. */
function rawPost(headers: Record<string, string>, body: Buffer | null, opts: { holdBody?: boolean } = {}): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(`${emu.baseUrl}/v2/orders`, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 });
    });
    req.on('error', (e) => (/ECONNRESET|EPIPE/.test(String(e)) ? undefined : reject(e)));
    if (body !== null) req.write(body);
    // holdBody: the declared body is never sent; an answer then proves nothing was waited for.
    if (opts.holdBody) req.flushHeaders();
    else req.end();
  });
}
const keyHeaders = () => ({ 'APCA-API-KEY-ID': emu.keys.keyId, 'APCA-API-SECRET-KEY': emu.keys.secret, 'content-type': 'application/json' });

describe('emulator robustness (finding 11)', () => {
  it('survives junk frames on the trading stream (null, numbers, arrays, bad JSON) and still serves a proper client', async () => {
    const replies = await exchange('/stream', ['null', '42', '[]', '"x"', '{not json', JSON.stringify({ action: 'authenticate', data: null })], (d) => JSON.parse(String(d)));
    expect(replies.slice(0, 5)).toEqual([
      { stream: 'error', data: { error_message: 'frame must be a JSON object' } },
      { stream: 'error', data: { error_message: 'frame must be a JSON object' } },
      { stream: 'error', data: { error_message: 'frame must be a JSON object' } },
      { stream: 'error', data: { error_message: 'frame must be a JSON object' } },
      { stream: 'error', data: { error_message: 'malformed frame' } },
    ]);
    expect(replies[5]).toEqual({ stream: 'authorization', data: { action: 'authenticate', status: 'unauthorized' } });
    const ok = await exchange('/stream', [JSON.stringify({ action: 'authenticate', data: { key_id: emu.keys.keyId, secret_key: emu.keys.secret } })], (d) => JSON.parse(String(d)));
    expect(ok).toEqual([{ stream: 'authorization', data: { action: 'authenticate', status: 'authorized' } }]);
  });

  it('survives a msgpack nil, number and array on the stock stream', async () => {
    const replies = await exchange('/v2/iex', [msgpackEncode(null), msgpackEncode(7), msgpackEncode([1, 2]), msgpackEncode({ action: 'auth', key: emu.keys.keyId, secret: emu.keys.secret })], (d) => msgpackDecode(d));
    expect(replies).toEqual([
      [{ T: 'success', msg: 'connected' }],
      [{ T: 'error', code: 400, msg: 'invalid syntax' }],
      [{ T: 'error', code: 400, msg: 'invalid syntax' }],
      [{ T: 'error', code: 400, msg: 'invalid syntax' }],
      [{ T: 'success', msg: 'authenticated' }],
    ]);
  });

  it('answers 413 to an oversized body from its Content-Length, before reading it, and while reading a chunked one', async () => {
    const declared = await rawPost({ ...keyHeaders(), 'content-length': String(10 * MAX_BODY_BYTES) }, null, { holdBody: true });
    expect(declared.status).toBe(413);
    const chunked = await rawPost({ ...keyHeaders(), 'transfer-encoding': 'chunked' }, Buffer.alloc(4 * MAX_BODY_BYTES, 0x20));
    expect(chunked.status).toBe(413);
    // And the server is still up for a proper client.
    expect((await alpaca.trading.account.getAccount()).status).toBe('ACTIVE');
  }, 10_000);

  it('checks the keys before reading any body: bad keys with a body that never comes get 401 at once', async () => {
    const r = await rawPost({ 'APCA-API-KEY-ID': 'nope', 'APCA-API-SECRET-KEY': 'nope', 'content-type': 'application/json', 'content-length': '1000' }, null, { holdBody: true });
    expect(r.status).toBe(401);
  }, 10_000);

  it('uses UUIDs for the account and for orders, as Alpaca does', async () => {
    expect((await alpaca.trading.account.getAccount()).id).toMatch(UUID);
    const q = emu.venue.currentQuoteIndex();
    const o = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 1, side: 'buy', limitPrice: Math.floor((tape.quotes.bid[q]! / 10_000) * 0.5 * 100) / 100, clientOrderId: 'uuid-1' });
    expect(o.id).toMatch(UUID);
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: o.id! });
  });

  it('takes its keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY when both are set, else its own', () => {
    expect(keysFromEnv({ APCA_API_KEY_ID: 'PKREAL', APCA_API_SECRET_KEY: 'sec' })).toEqual({ keys: { keyId: 'PKREAL', secret: 'sec' }, fromEnv: true });
    expect(keysFromEnv({ APCA_API_KEY_ID: 'PKREAL' })).toEqual({ keys: DEFAULT_EMULATOR_KEYS, fromEnv: false });
    expect(keysFromEnv({})).toEqual({ keys: DEFAULT_EMULATOR_KEYS, fromEnv: false });
  });
});

describe('emulator positions and cancel-all endpoints, through the real SDK', () => {
  it('GET/DELETE /v2/positions/{symbol}, DELETE /v2/orders and DELETE /v2/positions with Alpaca shapes', async () => {
    const q = () => emu.venue.currentQuoteIndex();
    const askUsd = () => Math.ceil((tape.quotes.ask[q()]! / 10_000) * 1.02 * 100) / 100;
    const waitFor = async (ok: () => Promise<boolean>): Promise<void> => {
      const end = Date.now() + 5000;
      while (!(await ok())) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const flat = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: tape.symbol }).catch((e: unknown) => e);
    expect((flat as ApiError).status).toBe(404);

    const buy = await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 10, side: 'buy', limitPrice: askUsd(), clientOrderId: 'pos-buy' });
    await waitFor(async () => (await alpaca.trading.orders.getOrderByOrderID({ orderId: buy.id! })).status === 'filled');
    const pos = await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: tape.symbol });
    expect(pos).toMatchObject({ symbol: tape.symbol, qty: '10', side: 'long' });

    // Two resting buys far below the market; cancel-all cancels both, answered 207 per order.
    const low = Math.floor((tape.quotes.bid[q()]! / 10_000) * 0.5 * 100) / 100;
    await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 1, side: 'buy', limitPrice: low, clientOrderId: 'rest-a' });
    await alpaca.trading.orders.limit({ symbol: tape.symbol, qty: 1, side: 'buy', limitPrice: low, clientOrderId: 'rest-b' });
    const cancelled = await alpaca.trading.orders.deleteAllOrders();
    expect(cancelled.map((c) => c.status)).toEqual([200, 200]);
    await waitFor(async () => (await alpaca.trading.orders.getAllOrders({ status: 'open' })).length === 0);

    // Close 4 of the 10 shares, then the rest with DELETE /v2/positions.
    const part = await alpaca.trading.positions.deleteOpenPosition({ symbolOrAssetId: tape.symbol, qty: 4 });
    expect(part).toMatchObject({ symbol: tape.symbol, side: 'sell', type: 'market', qty: '4' });
    await waitFor(async () => (await alpaca.trading.positions.getOpenPosition({ symbolOrAssetId: tape.symbol })).qty === '6');
    const all = await alpaca.trading.positions.deleteAllOpenPositions({ cancelOrders: true });
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ symbol: tape.symbol, status: 200, body: { side: 'sell', qty: '6' } });
    await waitFor(async () => (await alpaca.trading.positions.getAllOpenPositions()).length === 0);
    const gone = await alpaca.trading.positions.deleteOpenPosition({ symbolOrAssetId: tape.symbol }).catch((e: unknown) => e);
    expect((gone as ApiError).status).toBe(404);

    // Every one of those orders is in the audit, as the order POSTs and cancels they were.
    const { orders } = (await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: { action: string; request: { side?: string; type?: string } | null }[] };
    expect(orders.filter((o) => o.action === 'submit' && o.request?.type === 'market').map((o) => o.request?.side)).toEqual(['sell', 'sell']);
    expect(orders.filter((o) => o.action === 'cancel').length).toBeGreaterThanOrEqual(2);
  });
});

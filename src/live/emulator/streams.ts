import type { WebSocket } from 'ws';
import type { Keys } from './keys.js';
// The SDK decodes this stream with @msgpack/msgpack; a Date encodes as msgpack's timestamp extension, as Alpaca sends.
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import type { UpdateFeed } from './update-feed.js';
import type { Venue } from './venue.js';
import { priceToWireNumber } from './wire-units.js';

/**
 * The trading stream (`/stream`): JSON frames. The client sends
 * `{action:"authenticate",data:{key_id,secret_key}}`, then `{action:"listen",data:{streams:["trade_updates"]}}`.
 */
export function serveTradingStream(ws: WebSocket, feed: UpdateFeed, keys: Keys): void {
  let authed = false;
  let listening = false;
  const send = (frame: unknown): void => ws.send(JSON.stringify(frame));
  const off = feed.onUpdate((data) => {
    if (authed && listening) send({ stream: 'trade_updates', data });
  });
  ws.on('close', off);
  ws.on('message', (raw) => {
    // Any frame a client can send must leave the server running: junk (`null`, a number, an
    // array, bad JSON) is answered with an error frame, never thrown.
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(raw)) as unknown;
    } catch {
      send({ stream: 'error', data: { error_message: 'malformed frame' } });
      return;
    }
    if (!isObject(parsed)) {
      send({ stream: 'error', data: { error_message: 'frame must be a JSON object' } });
      return;
    }
    const msg = parsed as { action?: unknown; data?: unknown };
    const data = isObject(msg.data) ? msg.data : {};
    if (msg.action === 'authenticate' || msg.action === 'auth') {
      authed = data['key_id'] === keys.keyId && data['secret_key'] === keys.secret;
      send({ stream: 'authorization', data: { action: 'authenticate', status: authed ? 'authorized' : 'unauthorized' } });
      if (!authed) ws.close();
    } else if (msg.action === 'listen') {
      if (!authed) return send({ stream: 'authorization', data: { action: 'listen', status: 'unauthorized' } });
      const streams = Array.isArray(data['streams']) ? (data['streams'] as unknown[]).filter((s) => s === 'trade_updates') : [];
      listening = streams.length > 0;
      send({ stream: 'listening', data: { streams } });
    } else {
      send({ stream: 'error', data: { error_message: `unknown action ${JSON.stringify(msg.action ?? null)}` } });
    }
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function serveDataStream(ws: WebSocket, venue: Venue, keys: Keys): void {
  let authed = false;
  const subs = { trades: new Set<string>(), quotes: new Set<string>(), bars: new Set<string>() };
  const send = (frames: unknown[]): void => ws.send(msgpackEncode(frames));
  // One connection carries every symbol subscribed on it (Alpaca allows one market-data
  // connection per account): each frame is one snapshot or print of one symbol, in venue order.
  const subscribed = (set: Set<string>, symbol: string): boolean => set.has(symbol) || set.has('*');
  const offQ = venue.onQuote((qi, tape) => {
    if (!authed || !subscribed(subs.quotes, tape.symbol)) return;
    const q = tape.quotes;
    send([{ T: 'q', S: tape.symbol, bx: 'Q', bp: priceToWireNumber(q.bid[qi]!), bs: q.bidSize[qi]!, ax: 'Q', ap: priceToWireNumber(q.ask[qi]!), as: q.askSize[qi]!, t: new Date(q.time[qi]!), c: ['R'], z: 'C' }]);
  });
  const offT = venue.onTrade((ti, tape) => {
    const tr = tape.trades;
    if (!authed || tr === null || !subscribed(subs.trades, tape.symbol)) return;
    send([{ T: 't', S: tape.symbol, i: ti + 1, x: 'Q', p: priceToWireNumber(tr.price[ti]!), s: tr.size[ti]!, t: new Date(tr.time[ti]!), c: ['@'], z: 'C' }]);
  });
  ws.on('close', () => {
    offQ();
    offT();
  });
  send([{ T: 'success', msg: 'connected' }]);
  ws.on('message', (raw) => {
    let decoded: unknown;
    try {
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw;
      decoded = msgpackDecode(bytes);
    } catch {
      send([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      return;
    }
    // A msgpack nil, a number or an array is junk: Alpaca answers 400 invalid syntax.
    if (!isObject(decoded)) {
      send([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      return;
    }
    const msg = decoded;
    if (msg['action'] === 'auth') {
      authed = msg['key'] === keys.keyId && msg['secret'] === keys.secret;
      if (authed) send([{ T: 'success', msg: 'authenticated' }]);
      else {
        send([{ T: 'error', code: 402, msg: 'auth failed' }]);
        ws.close();
      }
      return;
    }
    if (!authed) return send([{ T: 'error', code: 401, msg: 'not authenticated' }]);
    if (msg['action'] === 'subscribe' || msg['action'] === 'unsubscribe') {
      for (const ch of ['trades', 'quotes', 'bars'] as const) {
        const list = msg[ch];
        if (!Array.isArray(list)) continue;
        for (const s of list) if (typeof s === 'string') msg['action'] === 'subscribe' ? subs[ch].add(s) : subs[ch].delete(s);
      }
      send([{ T: 'subscription', trades: [...subs.trades], quotes: [...subs.quotes], bars: [...subs.bars], updatedBars: [], dailyBars: [], statuses: [], lulds: [], corrections: [], cancelErrors: [] }]);
    }
  });
}

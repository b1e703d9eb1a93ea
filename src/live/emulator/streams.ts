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
    let msg: { action?: string; data?: Record<string, unknown> };
    try {
      msg = JSON.parse(String(raw)) as typeof msg;
    } catch {
      send({ stream: 'error', data: { error_message: 'malformed frame' } });
      return;
    }
    if (msg.action === 'authenticate' || msg.action === 'auth') {
      authed = msg.data?.['key_id'] === keys.keyId && msg.data?.['secret_key'] === keys.secret;
      send({ stream: 'authorization', data: { action: 'authenticate', status: authed ? 'authorized' : 'unauthorized' } });
      if (!authed) ws.close();
    } else if (msg.action === 'listen') {
      if (!authed) return send({ stream: 'authorization', data: { action: 'listen', status: 'unauthorized' } });
      const streams = Array.isArray(msg.data?.['streams']) ? (msg.data['streams'] as unknown[]).filter((s) => s === 'trade_updates') : [];
      listening = streams.length > 0;
      send({ stream: 'listening', data: { streams } });
    }
  });
}

/**
 * The stock data stream (`/v2/{feed}`): msgpack frames, each an array of objects keyed `T`.
 * Server: `[{T:"success",msg:"connected"}]` on open; `{action:"auth",key,secret}` gets
 * `[{T:"success",msg:"authenticated"}]` or `[{T:"error",code:402,msg:"auth failed"}]`;
 * `{action:"subscribe",trades,quotes,...}` gets the `[{T:"subscription",...}]` state.
 */
export function serveDataStream(ws: WebSocket, venue: Venue, keys: Keys): void {
  let authed = false;
  const subs = { trades: new Set<string>(), quotes: new Set<string>(), bars: new Set<string>() };
  const send = (frames: unknown[]): void => ws.send(msgpackEncode(frames));
  const sym = venue.tape.symbol;
  const offQ = venue.onQuote((qi) => {
    if (!authed || !(subs.quotes.has(sym) || subs.quotes.has('*'))) return;
    const q = venue.tape.quotes;
    send([{ T: 'q', S: sym, bx: 'Q', bp: priceToWireNumber(q.bid[qi]!), bs: q.bidSize[qi]!, ax: 'Q', ap: priceToWireNumber(q.ask[qi]!), as: q.askSize[qi]!, t: new Date(q.time[qi]!), c: ['R'], z: 'C' }]);
  });
  const offT = venue.onTrade((ti) => {
    const tr = venue.tape.trades;
    if (!authed || tr === null || !(subs.trades.has(sym) || subs.trades.has('*'))) return;
    send([{ T: 't', S: sym, i: ti + 1, x: 'Q', p: priceToWireNumber(tr.price[ti]!), s: tr.size[ti]!, t: new Date(tr.time[ti]!), c: ['@'], z: 'C' }]);
  });
  ws.on('close', () => {
    offQ();
    offT();
  });
  send([{ T: 'success', msg: 'connected' }]);
  ws.on('message', (raw) => {
    let msg: Record<string, unknown>;
    try {
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw;
      msg = msgpackDecode(bytes) as Record<string, unknown>;
    } catch {
      send([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      return;
    }
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

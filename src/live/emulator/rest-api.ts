import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRng } from '../../sim/rng.js';
import { assetJson } from './alpaca-json.js';
import type { AuditLog } from './audit-log.js';
import type { Keys } from './keys.js';
import { NO_FAULTS, type FaultSpec } from './faults.js';
import { LookupLag } from './lookup-lag.js';
import { routeHistory } from './market-history.js';
import { infoRoutes } from './rest-info.js';
import { orderRequestFacts, orderRoutes } from './rest-orders.js';
import { positionRoutes } from './rest-positions.js';
import { fail, json, type Reply } from './rest-reply.js';
import type { UpdateFeed } from './update-feed.js';
import type { Venue } from './venue.js';
import { formatWireQty } from './wire-units.js';

/** Request bodies above this are refused with 413 before they are read (an order body is ~300 bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Alpaca's REST surface (trading and market data on one host), as documented in docs/ALPACA-WIRE.md. */
export function createRestHandler(venue: Venue, audit: AuditLog, keys: Keys, feed: UpdateFeed, faults: FaultSpec = NO_FAULTS, seed = '1') {
  const info = infoRoutes(venue);
  const lag = new LookupLag(faults.lookupLagMs, audit, () => venue.now());
  const orders = orderRoutes(venue, audit, faults, feed, lag);
  const positions = positionRoutes(venue, orders);
  const httpRng = createRng(`emulator-http-faults:${seed}`);
  const lookupRng = createRng(`emulator-lookup-faults:${seed}`);
  let cancel5xxLeft = faults.cancel5xx;

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let reply: Reply;
    try {
      reply = await handle(req);
    } catch (err) {
      reply = err instanceof SyntaxError ? fail(400, 40010000, 'malformed JSON body') : fail(500, 50010000, err instanceof Error ? err.message : String(err));
    }
    if (reply.delayMs !== undefined && reply.delayMs > 0) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.destroy === true) {
      // The ambiguous POST: the order exists at the venue, the client sees a transport error.
      req.socket.destroy();
      return;
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    // A body left unread (refused before reading) must not be parsed as the next request.
    const headers: Record<string, string> = reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' };
    if (reply.closeConnection === true) headers['connection'] = 'close';
    res.writeHead(reply.status, headers);
    res.end(text);
  };

  async function handle(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/__audit') return json(200, auditBody());
    // Keys first, from the headers alone: an unauthenticated client never gets a body read.
    if (req.headers['apca-api-key-id'] !== keys.keyId || req.headers['apca-api-secret-key'] !== keys.secret) {
      // Alpaca answers bad or missing keys with 401 and this body.
      return { ...fail(401, 40110000, 'request is not authorized'), closeConnection: hasBody(req) };
    }
    let body: unknown;
    if (method === 'POST' || method === 'PATCH') {
      const read = await readJson(req);
      if (read === TOO_LARGE) return { ...fail(413, 41310000, `request body larger than ${MAX_BODY_BYTES} bytes`), closeConnection: true };
      body = read;
    }
    return route(method, url, body);
  }

  /** http5xx / http429: answered before anything is done, so the request has no effect. */
  function httpFault(method: string, path: string, body: unknown): Reply | null {
    if (faults.http5xx <= 0 && faults.http429 <= 0) return null;
    const u = httpRng.uniform();
    const fault = u < faults.http5xx ? fail(500, 50010000, 'internal server error') : u < faults.http5xx + faults.http429 ? fail(429, 42910000, 'rate limit exceeded') : null;
    if (fault === null) return null;
    audit.fault(fault.status === 500 ? 'http5xx' : 'http429', venue.now(), `${method} ${path} -> ${fault.status}`);
    const action = path === '/v2/orders' && method === 'POST' ? 'submit' : /^\/v2\/orders\/[^/]+$/.test(path) && (method === 'DELETE' || method === 'PATCH') ? (method === 'DELETE' ? 'cancel' : 'replace') : null;
    if (action !== null) {
      const target = action === 'submit' ? null : decodeURIComponent(path.slice('/v2/orders/'.length));
      // What the request named: a submit's body, or the order a cancel or replace targets.
      const targeted = target === null ? undefined : venue.order(target);
      const facts = action === 'submit' ? orderRequestFacts(body) : targeted === undefined ? {} : { symbol: targeted.symbol, side: targeted.side };
      audit.record({ action, venueMs: venue.now(), ...facts, clientOrderId: null, orderId: null, targetOrderId: target, request: null, httpStatus: fault.status, outcome: `fault ${fault.status === 500 ? 'http5xx' : 'http429'}: not processed` });
    }
    return fault;
  }

  /** lookup-5xx and cancel-5xx: the order reads, or the first cancels, fail before anything is done. */
  function orderFault(method: string, path: string): Reply | null {
    const lookup = method === 'GET' && (path === '/v2/orders' || path === '/v2/orders:by_client_order_id' || /^\/v2\/orders\/[^/]+$/.test(path));
    if (lookup && faults.lookup5xx > 0 && lookupRng.uniform() < faults.lookup5xx) {
      audit.fault('lookup-5xx', venue.now(), `${method} ${path} -> 500`);
      return fail(500, 50010000, 'internal server error');
    }
    if (method === 'DELETE' && /^\/v2\/orders\/[^/]+$/.test(path) && cancel5xxLeft > 0) {
      cancel5xxLeft -= 1;
      const target = decodeURIComponent(path.slice('/v2/orders/'.length));
      audit.fault('cancel-5xx', venue.now(), `${method} ${path} -> 500`);
      audit.record({ action: 'cancel', venueMs: venue.now(), clientOrderId: venue.order(target)?.clientOrderId ?? null, orderId: null, targetOrderId: target, request: null, httpStatus: 500, outcome: 'fault cancel-5xx: not processed', fault: 'cancel-5xx' });
      return fail(500, 50010000, 'internal server error');
    }
    return null;
  }

  function route(method: string, url: URL, body: unknown): Reply {
    const path = url.pathname;
    const injected = httpFault(method, path, body) ?? orderFault(method, path);
    if (injected !== null) return injected;
    venue.advance();
    if (method === 'GET' && path === '/v2/account') return json(200, info.account());
    if (method === 'GET' && path === '/v2/clock') return json(200, info.clock());
    if (method === 'GET' && path === '/v2/calendar') return info.calendar(url);
    let m = /^\/v2\/assets\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const sym = decodeURIComponent(m[1]!).toUpperCase();
      return venue.tapeOf(sym) !== undefined ? json(200, assetJson(sym)) : fail(404, 40410000, 'asset not found');
    }
    if (path === '/v2/orders' && method === 'POST') return orders.submit(body);
    if (path === '/v2/orders' && method === 'GET') return orders.listOrders(url);
    if (path === '/v2/orders' && method === 'DELETE') return orders.cancelAll();
    if (path === '/v2/orders:by_client_order_id' && method === 'GET') {
      const o = venue.orderByClientId(url.searchParams.get('client_order_id') ?? '');
      return o === undefined || !lag.visible(o, 'GET /v2/orders:by_client_order_id') ? fail(404, 40410000, 'order not found') : json(200, orders.orderJson(o));
    }
    m = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      if (method === 'GET') {
        const o = venue.order(id);
        return o === undefined || !lag.visible(o, 'GET /v2/orders/{id}') ? fail(404, 40410000, 'order not found') : json(200, orders.orderJson(o));
      }
      if (method === 'DELETE') return orders.cancel(id);
      if (method === 'PATCH') return orders.replace(id, body);
    }
    if (path === '/v2/positions') {
      if (method === 'GET') return json(200, info.positions());
      if (method === 'DELETE') return positions.closeAll(url);
    }
    m = /^\/v2\/positions\/([^/]+)$/.exec(path);
    if (m) {
      const symbol = decodeURIComponent(m[1]!);
      if (method === 'GET') return positions.get(symbol);
      if (method === 'DELETE') return positions.close(symbol, url);
    }
    if (method === 'GET' && path === '/v2/stocks/quotes/latest') return info.latestQuotes(url);
    m = /^\/v2\/stocks\/([^/]+)\/quotes\/latest$/.exec(path);
    if (method === 'GET' && m) return info.latestQuote(decodeURIComponent(m[1]!).toUpperCase(), url);
    if (method === 'GET') {
      const history = routeHistory((symbol) => venue.tapeOf(symbol), path, url);
      if (history !== null) return history;
    }
    return fail(404, 40410000, `endpoint not found: ${method} ${path}`);
  }

  function auditBody(): Record<string, unknown> {
    return {
      orders: audit.list().map((e) => {
        const o = e.orderId === null ? undefined : venue.order(e.orderId);
        return { ...e, status: o?.status ?? null, filledQty: o === undefined ? null : formatWireQty(o.filledQty) };
      }),
      faults: audit.faults(),
    };
  }
}

const TOO_LARGE = Symbol('too large');

function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
}

/**
 * The JSON body, or TOO_LARGE as soon as it is known to exceed MAX_BODY_BYTES: at once from a
 * Content-Length header, else while reading (the rest is never read; the answer closes the connection).
 */
function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.resolve(TOO_LARGE);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(c);
        return;
      }
      // Stop reading (not destroy: the 413 must still be answered on this socket).
      cleanup();
      req.pause();
      resolve(TOO_LARGE);
    };
    const onEnd = (): void => {
      cleanup();
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text.trim() === '' ? {} : (JSON.parse(text) as unknown));
      } catch (err) {
        reject(err);
      }
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

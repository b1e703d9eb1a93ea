import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nextTradingDays, tradingSession } from '../../engine/calendar.js';
import { addDays, etDateOf } from '../../engine/et-time.js';
import { isRegularHours } from '../../engine/market-window.js';
import { QTY_SCALE } from '../../engine/units.js';
import { assetJson, errorJson, isoEt, isoUtc, orderJson } from './alpaca-json.js';
import type { AuditLog } from './audit-log.js';
import { TERMINAL_STATUSES } from './emu-order.js';
import { isRefusal, parseOrderBody } from './order-request.js';
import type { Venue } from './venue.js';
import { formatWirePrice, formatWireQty, parseWirePrice, parseWireQty, priceToWireNumber } from './wire-units.js';

export interface Keys {
  readonly keyId: string;
  readonly secret: string;
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

const json = (status: number, body: unknown): Reply => ({ status, body });
const fail = (status: number, code: number, message: string): Reply => json(status, errorJson(code, message));

/** Alpaca's REST surface (trading and market data on one host), as documented in docs/ALPACA-WIRE.md. */
export function createRestHandler(venue: Venue, audit: AuditLog, keys: Keys) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let reply: Reply;
    try {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const body = req.method === 'POST' || req.method === 'PATCH' ? await readJson(req) : undefined;
      reply = route(req, url, body);
    } catch (err) {
      reply = err instanceof SyntaxError ? fail(400, 40010000, 'malformed JSON body') : fail(500, 50010000, err instanceof Error ? err.message : String(err));
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' });
    res.end(text);
  };

  function route(req: IncomingMessage, url: URL, body: unknown): Reply {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/__audit') return json(200, auditBody());
    if (req.headers['apca-api-key-id'] !== keys.keyId || req.headers['apca-api-secret-key'] !== keys.secret) {
      // Alpaca answers bad or missing keys with 401 and this body.
      return fail(401, 40110000, 'request is not authorized');
    }
    venue.advance();
    if (method === 'GET' && path === '/v2/account') return json(200, account());
    if (method === 'GET' && path === '/v2/clock') return json(200, clock());
    if (method === 'GET' && path === '/v2/calendar') return calendar(url);
    let m = /^\/v2\/assets\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const sym = decodeURIComponent(m[1]!).toUpperCase();
      return sym === venue.tape.symbol ? json(200, assetJson(sym)) : fail(404, 40410000, 'asset not found');
    }
    if (path === '/v2/orders' && method === 'POST') return submit(body);
    if (path === '/v2/orders' && method === 'GET') return listOrders(url);
    if (path === '/v2/orders:by_client_order_id' && method === 'GET') {
      const o = venue.orderByClientId(url.searchParams.get('client_order_id') ?? '');
      return o === undefined ? fail(404, 40410000, 'order not found') : json(200, orderJson(o));
    }
    m = /^\/v2\/orders\/([^/]+)$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      if (method === 'GET') {
        const o = venue.order(id);
        return o === undefined ? fail(404, 40410000, 'order not found') : json(200, orderJson(o));
      }
      if (method === 'DELETE') return cancel(id);
      if (method === 'PATCH') return replace(id, body);
    }
    if (method === 'GET' && path === '/v2/positions') return json(200, positions());
    m = /^\/v2\/stocks\/([^/]+)\/quotes\/latest$/.exec(path);
    if (method === 'GET' && m) return latestQuote(decodeURIComponent(m[1]!).toUpperCase(), url);
    return fail(404, 40410000, `endpoint not found: ${method} ${path}`);
  }

  function submit(body: unknown): Reply {
    const now = venue.now();
    const parsed = parseOrderBody(body, (s) => s === venue.tape.symbol, () => randomUUID());
    const cid = typeof (body as Record<string, unknown> | null)?.['client_order_id'] === 'string' ? String((body as Record<string, unknown>)['client_order_id']) : null;
    let reply: Reply;
    let orderId: string | null = null;
    if (isRefusal(parsed)) reply = fail(parsed.status, parsed.code, parsed.message);
    else if (venue.orderByClientId(parsed.clientOrderId) !== undefined) reply = fail(422, 40010001, 'client_order_id must be unique');
    else {
      const o = venue.submit(parsed);
      orderId = o.id;
      reply = json(200, orderJson(o));
    }
    const outcome = reply.status === 200 ? 'accepted' : String((reply.body as { message: string }).message);
    audit.record({ action: 'submit', venueMs: now, clientOrderId: isRefusal(parsed) ? cid : parsed.clientOrderId, orderId, targetOrderId: null, request: body, httpStatus: reply.status, outcome });
    return reply;
  }

  function cancel(id: string): Reply {
    const o = venue.order(id);
    let reply: Reply;
    if (o === undefined) reply = fail(404, 40410000, 'order not found');
    else if (TERMINAL_STATUSES.has(o.status) || o.status === 'pending_replace') reply = fail(422, 42210000, `order is not cancelable (status ${o.status})`);
    else {
      venue.cancel(o);
      reply = { status: 204 };
    }
    const outcome = reply.status === 204 ? 'accepted' : String((reply.body as { message: string }).message);
    audit.record({ action: 'cancel', venueMs: venue.now(), clientOrderId: o?.clientOrderId ?? null, orderId: null, targetOrderId: id, request: null, httpStatus: reply.status, outcome });
    return reply;
  }

  function replace(id: string, body: unknown): Reply {
    const old = venue.order(id);
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    let reply: Reply;
    let orderId: string | null = null;
    let cid: string | null = typeof b['client_order_id'] === 'string' ? b['client_order_id'] : null;
    if (old === undefined) reply = fail(404, 40410000, 'order not found');
    else if (old.status !== 'new' && old.status !== 'partially_filled') reply = fail(422, 42210000, `order is not replaceable (status ${old.status})`);
    else {
      const qty = b['qty'] == null ? old.qty - old.filledQty : parseWireQty(b['qty']);
      const limit = b['limit_price'] == null ? old.limitPrice : parseWirePrice(b['limit_price']);
      cid ??= randomUUID();
      const parsed = parseOrderBody(
        {
          symbol: old.symbol,
          side: old.side,
          type: old.type,
          time_in_force: typeof b['time_in_force'] === 'string' ? b['time_in_force'] : old.timeInForce,
          qty: qty === null ? 'bad' : formatWireQty(qty),
          limit_price: old.type === 'limit' ? (limit === null ? 'bad' : formatWirePrice(limit)) : undefined,
          extended_hours: old.extendedHours,
          client_order_id: cid,
        },
        () => true,
        () => cid!,
      );
      if (isRefusal(parsed)) reply = fail(parsed.status, parsed.code, parsed.message);
      else if (venue.orderByClientId(parsed.clientOrderId) !== undefined) reply = fail(422, 40010001, 'client_order_id must be unique');
      else {
        const fresh = venue.replace(old, parsed);
        orderId = fresh.id;
        reply = json(200, orderJson(fresh));
      }
    }
    const outcome = reply.status === 200 ? 'accepted' : String((reply.body as { message: string }).message);
    audit.record({ action: 'replace', venueMs: venue.now(), clientOrderId: cid, orderId, targetOrderId: id, request: body, httpStatus: reply.status, outcome });
    return reply;
  }

  function listOrders(url: URL): Reply {
    const status = url.searchParams.get('status') ?? 'open';
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, 500);
    const direction = url.searchParams.get('direction') ?? 'desc';
    let list = venue.orders().filter((o) => status === 'all' || (status === 'open') === !TERMINAL_STATUSES.has(o.status));
    if (direction === 'desc') list = [...list].reverse();
    return json(200, list.slice(0, limit).map(orderJson));
  }

  function account(): Record<string, unknown> {
    const equity = venue.cash + marketValue();
    const money = (x: number): string => x.toFixed(2);
    return {
      id: 'emulator-account',
      account_number: 'EMU000001',
      status: 'ACTIVE',
      crypto_status: 'INACTIVE',
      currency: 'USD',
      cash: money(venue.cash),
      buying_power: money(Math.max(0, venue.cash) * 2),
      regt_buying_power: money(Math.max(0, venue.cash) * 2),
      daytrading_buying_power: money(Math.max(0, venue.cash) * 4),
      non_marginable_buying_power: money(Math.max(0, venue.cash)),
      equity: money(equity),
      last_equity: money(100_000),
      portfolio_value: money(equity),
      long_market_value: money(Math.max(0, marketValue())),
      short_market_value: money(Math.min(0, marketValue())),
      initial_margin: '0',
      maintenance_margin: '0',
      multiplier: '2',
      pattern_day_trader: false,
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      shorting_enabled: true,
      trade_suspended_by_user: false,
      daytrade_count: 0,
      sma: '0',
      created_at: '2020-01-01T00:00:00Z',
    };
  }

  function markPrice(): number {
    const qi = venue.currentQuoteIndex();
    const q = venue.tape.quotes;
    return qi < 0 ? 0 : (q.bid[qi]! + q.ask[qi]!) / 2;
  }

  function marketValue(): number {
    return ((venue.positionQty / QTY_SCALE) * markPrice()) / 10_000;
  }

  function positions(): unknown[] {
    if (venue.positionQty === 0) return [];
    const shares = venue.positionQty / QTY_SCALE;
    const avg = venue.positionCost / shares; // price units
    const mark = markPrice();
    return [
      {
        asset_id: assetJson(venue.tape.symbol)['id'],
        symbol: venue.tape.symbol,
        exchange: 'NASDAQ',
        asset_class: 'us_equity',
        asset_marginable: true,
        qty: formatWireQty(venue.positionQty),
        qty_available: formatWireQty(venue.positionQty),
        avg_entry_price: String(Math.round(avg) / 10_000),
        side: shares > 0 ? 'long' : 'short',
        market_value: ((shares * mark) / 10_000).toFixed(2),
        cost_basis: (venue.positionCost / 10_000).toFixed(2),
        unrealized_pl: ((shares * (mark - avg)) / 10_000).toFixed(2),
        unrealized_plpc: avg === 0 ? '0' : String((mark - avg) / avg),
        unrealized_intraday_pl: ((shares * (mark - avg)) / 10_000).toFixed(2),
        unrealized_intraday_plpc: avg === 0 ? '0' : String((mark - avg) / avg),
        current_price: String(Math.round(mark) / 10_000),
        lastday_price: String(Math.round(mark) / 10_000),
        change_today: '0',
      },
    ];
  }

  function clock(): Record<string, unknown> {
    const now = venue.now();
    const today = etDateOf(now);
    const sessions = [today, ...nextTradingDays(addDays(today, 1), 2)].map(tradingSession);
    const opens = sessions.flatMap((s) => (s.isOpen ? [s] : []));
    const nextOpen = opens.find((s) => s.openTime > now);
    const nextClose = opens.find((s) => s.closeTime > now);
    return {
      timestamp: isoEt(now),
      is_open: isRegularHours(now, venue.windows) && today === venue.tape.date,
      next_open: nextOpen === undefined ? null : isoEt(nextOpen.openTime),
      next_close: nextClose === undefined ? null : isoEt(nextClose.closeTime),
    };
  }

  function calendar(url: URL): Reply {
    const start = url.searchParams.get('start') ?? venue.tape.date;
    const end = url.searchParams.get('end') ?? start;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start.slice(0, 10)) || !/^\d{4}-\d{2}-\d{2}$/.test(end.slice(0, 10))) return fail(422, 40010000, 'invalid start or end date');
    const days: unknown[] = [];
    for (let d = start.slice(0, 10); d <= end.slice(0, 10) && days.length < 400; d = addDays(d, 1)) {
      const s = tradingSession(d);
      if (!s.isOpen) continue;
      const hhmm = (t: number): string => isoEt(t).slice(11, 16);
      days.push({ date: d, open: hhmm(s.openTime), close: hhmm(s.closeTime), session_open: '0400', session_close: '2000', settlement_date: nextTradingDays(addDays(d, 1), 1)[0] ?? d });
    }
    return json(200, days);
  }

  function latestQuote(symbol: string, url: URL): Reply {
    if (symbol !== venue.tape.symbol) return fail(404, 40410000, `no quote for ${symbol}`);
    const qi = venue.currentQuoteIndex();
    if (qi < 0) return fail(404, 40410000, `no quote for ${symbol} yet`);
    const q = venue.tape.quotes;
    return json(200, {
      symbol,
      quote: {
        t: isoUtc(q.time[qi]!),
        bp: priceToWireNumber(q.bid[qi]!),
        bs: q.bidSize[qi]!,
        bx: 'Q',
        ap: priceToWireNumber(q.ask[qi]!),
        as: q.askSize[qi]!,
        ax: 'Q',
        c: ['R'],
        z: 'C',
      },
      ...(url.searchParams.get('currency') ? { currency: url.searchParams.get('currency') } : {}),
    });
  }

  function auditBody(): Record<string, unknown> {
    return {
      orders: audit.list().map((e) => {
        const o = e.orderId === null ? undefined : venue.order(e.orderId);
        return { ...e, status: o?.status ?? null, filledQty: o === undefined ? null : formatWireQty(o.filledQty) };
      }),
    };
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

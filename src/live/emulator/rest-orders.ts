import { randomUUID } from 'node:crypto';
import type { Side } from '../../engine/units.js';
import { errorJson, orderJson } from './alpaca-json.js';
import type { AuditLog } from './audit-log.js';
import { TERMINAL_STATUSES, type EmuOrder } from './emu-order.js';
import type { FaultSpec } from './faults.js';
import type { LookupLag } from './lookup-lag.js';
import { isRefusal, parseOrderBody, type Refusal } from './order-request.js';
import { fail, json, messageOf, type Reply } from './rest-reply.js';
import type { UpdateFeed } from './update-feed.js';
import type { Venue } from './venue.js';
import { formatWirePrice, formatWireQty, parseWirePrice, parseWireQty } from './wire-units.js';

/** POST, DELETE, PATCH and GET on /v2/orders, each audited, with the order faults of the fault spec. */
export function orderRoutes(venue: Venue, audit: AuditLog, faults: FaultSpec, feed: UpdateFeed, lag: LookupLag) {
  /** Order POSTs that reached the order handler (past auth and the HTTP faults): the N of reject=N and reset-after-accept=N. */
  let posts = 0;
  /** Limit orders created so far under the `rest` fault. */
  let restedLimits = 0;
  return { submit, cancel, cancelAll, replace, listOrders, orderJson };

  function submit(body: unknown): Reply {
    const now = venue.now();
    const parsed = parseOrderBody(body, (s) => venue.tapeOf(s) !== undefined, () => randomUUID());
    const cid = typeof (body as Record<string, unknown> | null)?.['client_order_id'] === 'string' ? String((body as Record<string, unknown>)['client_order_id']) : null;
    const nth = ++posts;
    let reply: Reply;
    let orderId: string | null = null;
    let fault: string | undefined;
    let refusal: Refusal | null = null;
    if (isRefusal(parsed)) reply = refusalReply(parsed);
    else if (venue.orderByClientId(parsed.clientOrderId) !== undefined) reply = fail(422, 40010001, 'client_order_id must be unique');
    else if (faults.rejectNth.includes(nth) || faults.rejectPrefixes.some((p) => parsed.clientOrderId.startsWith(p))) {
      // What Alpaca does when buying power is short: 403 at once, no order is created.
      fault = 'reject';
      reply = fail(403, 40310000, 'insufficient buying power');
    } else if (parsed.side === 'sell' && faults.rejectSellSymbols.includes(parsed.symbol)) {
      // What Alpaca does when the shares are not available to sell (held elsewhere, locked): 403, no order.
      fault = 'reject-sell';
      reply = fail(403, 40310000, `insufficient qty available for order (requested: ${formatWireQty(parsed.qty)}, available: 0)`);
    } else if ((refusal = venue.account.check(parsed, venue.openOrders(), (s) => venue.askNow(s))) !== null) {
      reply = refusalReply(refusal);
    } else {
      // Only limits rest: a market order always finds the far side (a fallback must still be able to complete).
      const rests = parsed.type === 'limit' && restedLimits < faults.restFirst;
      if (rests) restedLimits += 1;
      const o = venue.submit(parsed, null, rests);
      if (rests) audit.fault('rest', now, `limit order #${restedLimits} (POST #${nth}) client_order_id=${parsed.clientOrderId} rests: it will not be matched`);
      lag.created(o);
      orderId = o.id;
      reply = json(200, orderJson(o));
      if (faults.resetAfterAccept.includes(nth)) {
        fault = 'reset-after-accept';
        reply = { status: 0, destroy: true };
      } else if (faults.delayAckMs > 0) {
        fault = 'delay-ack';
        feed.holdNew(o.id, faults.delayAckMs);
        reply = { ...reply, delayMs: faults.delayAckMs };
      }
    }
    const clientOrderId = isRefusal(parsed) ? cid : parsed.clientOrderId;
    const outcome = reply.status === 200 || reply.destroy === true ? 'accepted' : messageOf(reply);
    if (fault !== undefined) audit.fault(fault, now, `order POST #${nth} client_order_id=${clientOrderId ?? ''}`);
    audit.record({ action: 'submit', venueMs: now, ...orderRequestFacts(body), clientOrderId, orderId, targetOrderId: null, request: body, httpStatus: reply.status, outcome, ...(fault ? { fault } : {}) });
    return reply;
  }

  /**
   * DELETE /v2/orders: a cancel of every open order, answered 207 with one entry per order
   * (`{id, status, body}`: 200 when the cancel was accepted, 500 when the order is not cancelable).
   */
  function cancelAll(): Reply {
    const open = venue.orders().filter((o) => !TERMINAL_STATUSES.has(o.status));
    const results = open.map((o) => {
      const r = cancel(o.id);
      return { id: o.id, status: r.status === 204 ? 200 : 500, body: r.status === 204 ? orderJson(o) : r.body };
    });
    return json(207, results);
  }

  function cancel(id: string): Reply {
    const o = venue.order(id);
    let reply: Reply;
    let fault: string | undefined;
    if (o === undefined) reply = fail(404, 40410000, 'order not found');
    else if (TERMINAL_STATUSES.has(o.status) || o.status === 'pending_replace') reply = fail(422, 42210000, 'order is not cancelable');
    else if (faults.fillDuringCancel && (o.status === 'new' || o.status === 'partially_filled')) {
      // The order fills while the cancel is in flight; Alpaca then refuses the cancel.
      fault = 'fill-during-cancel';
      venue.fillNow(o);
      audit.fault(fault, venue.now(), `order ${o.clientOrderId} filled before its cancel`);
      reply = fail(422, 42210000, 'order is not cancelable');
    } else {
      venue.cancel(o);
      reply = { status: 204 };
    }
    const outcome = reply.status === 204 ? 'accepted' : messageOf(reply);
    audit.record({ action: 'cancel', venueMs: venue.now(), ...orderFacts(o), clientOrderId: o?.clientOrderId ?? null, orderId: null, targetOrderId: id, request: null, httpStatus: reply.status, outcome, ...(fault ? { fault } : {}) });
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
      let refusal: Refusal | null = null;
      if (isRefusal(parsed)) reply = refusalReply(parsed);
      else if (venue.orderByClientId(parsed.clientOrderId) !== undefined) reply = fail(422, 40010001, 'client_order_id must be unique');
      // The replacement is checked as a new order with the one it replaces released, as Alpaca does.
      else if ((refusal = venue.account.check(parsed, venue.openOrders().filter((o) => o.id !== old.id), (s) => venue.askNow(s))) !== null) reply = refusalReply(refusal);
      else {
        const fresh = venue.replace(old, parsed);
        lag.created(fresh);
        orderId = fresh.id;
        reply = json(200, orderJson(fresh));
      }
    }
    const outcome = reply.status === 200 ? 'accepted' : messageOf(reply);
    audit.record({ action: 'replace', venueMs: venue.now(), ...orderFacts(old), ...(qtyOf(b['qty']) !== null ? { qty: qtyOf(b['qty']) } : {}), clientOrderId: cid, orderId, targetOrderId: id, request: body, httpStatus: reply.status, outcome });
    return reply;
  }

  function orderFacts(o: EmuOrder | undefined): { symbol: string | null; side: Side | null; qty: string | null } {
    return o === undefined ? { symbol: null, side: null, qty: null } : { symbol: o.symbol, side: o.side, qty: formatWireQty(o.qty - o.filledQty) };
  }

  /** GET /v2/orders[?status=open|closed|all&limit=N&direction=asc|desc&symbols=A,B]. */
  function listOrders(url: URL): Reply {
    const status = url.searchParams.get('status') ?? 'open';
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, 500);
    const direction = url.searchParams.get('direction') ?? 'desc';
    const symbolsText = url.searchParams.get('symbols');
    const symbols = symbolsText === null ? null : new Set(symbolsText.split(',').map((x) => x.trim().toUpperCase()).filter((x) => x !== ''));
    let list = venue.orders().filter((o) => (status === 'all' || (status === 'open') === !TERMINAL_STATUSES.has(o.status)) && (symbols === null || symbols.has(o.symbol)) && lag.visible(o, 'GET /v2/orders'));
    if (direction === 'desc') list = [...list].reverse();
    return json(200, list.slice(0, limit).map(orderJson));
  }
}

/** The symbol, side and quantity an order POST names, as the audit records them (null where missing). */
export function orderRequestFacts(body: unknown): { symbol: string | null; side: Side | null; qty: string | null } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const side = b['side'] === 'buy' || b['side'] === 'sell' ? b['side'] : null;
  return { symbol: typeof b['symbol'] === 'string' ? b['symbol'].toUpperCase() : null, side, qty: qtyOf(b['qty']) };
}

/** A quantity as the wire gave it, normalised when it parses ("10.0" -> "10"), else as text; null when absent. */
function qtyOf(v: unknown): string | null {
  if (v == null) return null;
  const q = parseWireQty(v);
  return q !== null ? formatWireQty(q) : String(v);
}

/** Alpaca's error body for a refusal: code and message, and any more fields it carries. */
function refusalReply(r: Refusal): Reply {
  return json(r.status, { ...errorJson(r.code, r.message), ...(r.extra ?? {}) });
}

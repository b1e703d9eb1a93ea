import { QTY_SCALE, parseShares } from '../../engine/units.js';
import { positionJson } from './account-json.js';
import type { orderRoutes } from './rest-orders.js';
import { fail, json, type Reply } from './rest-reply.js';
import type { Venue } from './venue.js';
import { formatWireQty } from './wire-units.js';

type Orders = ReturnType<typeof orderRoutes>;

/**
 * GET / DELETE /v2/positions/{symbol} and DELETE /v2/positions, with Alpaca's shapes: closing a
 * position sends a market order for it (or for `qty` shares / `percentage` percent of it) through
 * the ordinary order path, so it is audited, checked and faulted like any order POST.
 */
export function positionRoutes(venue: Venue, orders: Orders) {
  return { get, close, closeAll };

  function heldQty(symbol: string): number {
    return venue.tapeOf(symbol) === undefined ? 0 : venue.account.holding(symbol).qty;
  }

  function get(symbol: string): Reply {
    const sym = symbol.toUpperCase();
    return heldQty(sym) === 0 ? fail(404, 40410000, 'position does not exist') : json(200, positionJson(venue, sym));
  }

  function close(symbol: string, url: URL): Reply {
    const sym = symbol.toUpperCase();
    const position = heldQty(sym);
    if (position === 0) return fail(404, 40410000, 'position does not exist');
    const held = Math.abs(position);
    let qty = held;
    const qtyText = url.searchParams.get('qty');
    const pctText = url.searchParams.get('percentage');
    if (qtyText !== null && pctText !== null) return fail(422, 40010000, 'only one of qty or percentage may be given');
    if (qtyText !== null) {
      const q = parseShares(qtyText);
      if (q === null || q <= 0) return fail(422, 40010000, 'qty must be a positive number');
      if (q > held) return fail(403, 40310000, `insufficient qty available for order (requested: ${formatWireQty(q)}, available: ${formatWireQty(held)})`);
      qty = q;
    } else if (pctText !== null) {
      const pct = Number(pctText);
      if (!(pct > 0 && pct <= 100)) return fail(422, 40010000, 'percentage must be in (0, 100]');
      // Alpaca rounds a percentage close down to what it can trade; whole shares here.
      qty = Math.floor((held * pct) / 100 / QTY_SCALE) * QTY_SCALE || held;
    }
    const side = position > 0 ? 'sell' : 'buy';
    return orders.submit({ symbol: sym, side, type: 'market', time_in_force: 'day', qty: formatWireQty(qty) });
  }

  /** DELETE /v2/positions[?cancel_orders=true]: 207 with `{symbol, status, body}` per position, in symbol order. */
  function closeAll(url: URL): Reply {
    if (url.searchParams.get('cancel_orders') === 'true') orders.cancelAll();
    const results = venue.account.heldSymbols().map((symbol) => {
      const r = close(symbol, new URL('http://emulator/'));
      return { symbol, status: r.status, body: r.body };
    });
    return json(207, results);
  }
}

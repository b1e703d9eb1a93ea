import { QTY_SCALE, parseShares } from '../../engine/units.js';
import type { orderRoutes } from './rest-orders.js';
import { fail, json, type Reply } from './rest-reply.js';
import type { Venue } from './venue.js';
import { formatWireQty } from './wire-units.js';

type Orders = ReturnType<typeof orderRoutes>;

/**
 * GET / DELETE /v2/positions/{symbol} and DELETE /v2/positions, with Alpaca's shapes: closing a
 * position sends a market order for it (or for `qty` shares / `percentage` percent of it) through
 * the ordinary order path, so it is audited and faulted like any order POST.
 */
export function positionRoutes(venue: Venue, orders: Orders) {
  return { get, close, closeAll };

  function get(symbol: string, positions: readonly unknown[]): Reply {
    const p = symbol.toUpperCase() === venue.tape.symbol ? positions[0] : undefined;
    return p === undefined ? fail(404, 40410000, 'position does not exist') : json(200, p);
  }

  function close(symbol: string, url: URL): Reply {
    if (symbol.toUpperCase() !== venue.tape.symbol || venue.positionQty === 0) return fail(404, 40410000, 'position does not exist');
    const held = Math.abs(venue.positionQty);
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
    const side = venue.positionQty > 0 ? 'sell' : 'buy';
    return orders.submit({ symbol: venue.tape.symbol, side, type: 'market', time_in_force: 'day', qty: formatWireQty(qty) });
  }

  /** DELETE /v2/positions[?cancel_orders=true]: 207 with `{symbol, status, body}` per position. */
  function closeAll(url: URL): Reply {
    if (url.searchParams.get('cancel_orders') === 'true') orders.cancelAll();
    if (venue.positionQty === 0) return json(207, []);
    const r = close(venue.tape.symbol, new URL('http://emulator/'));
    return json(207, [{ symbol: venue.tape.symbol, status: r.status, body: r.body }]);
  }
}

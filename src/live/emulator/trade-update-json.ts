import { isoUtc, orderJson } from './alpaca-json.js';
import type { VenueUpdate } from './venue-reports.js';
import { formatWirePrice, formatWireQty } from './wire-units.js';

/** One trade_updates `data` object, as Alpaca sends it (docs/ALPACA-WIRE.md). */
export function tradeUpdateJson(u: VenueUpdate): Record<string, unknown> {
  const base: Record<string, unknown> = { event: u.event, timestamp: isoUtc(u.time), order: orderJson(u.order) };
  if (u.fill !== undefined) {
    base['execution_id'] = u.fill.executionId;
    base['price'] = formatWirePrice(u.fill.price);
    base['qty'] = formatWireQty(u.fill.qty);
    base['position_qty'] = formatWireQty(u.fill.positionQty);
  }
  return base;
}

import { DateTime } from 'luxon';
import { ET_ZONE_NAME } from '../../engine/et-time.js';
import { QTY_SCALE, type EpochMs } from '../../engine/units.js';
import type { EmuOrder } from './emu-order.js';
import { formatWirePrice, formatWireQty } from './wire-units.js';

/** JSON shapes of Alpaca's trading API (docs/ALPACA-WIRE.md), built from emulator state. */

export function isoUtc(t: EpochMs): string {
  return new Date(t).toISOString();
}

/** Alpaca's clock speaks New York wall time with its offset, e.g. 2024-06-03T09:30:00-04:00. */
export function isoEt(t: EpochMs): string {
  return DateTime.fromMillis(t, { zone: ET_ZONE_NAME }).toISO({ suppressMilliseconds: true }) ?? isoUtc(t);
}

const ts = (t: EpochMs | null): string | null => (t === null ? null : isoUtc(t));

export function avgPriceString(o: EmuOrder): string | null {
  if (o.filledQty <= 0) return null;
  const avgUnits = o.filledNotional / (o.filledQty / QTY_SCALE);
  const rounded = Math.round(avgUnits);
  return Math.abs(avgUnits - rounded) < 1e-6 ? formatWirePrice(rounded) : String(Math.round(avgUnits * 100) / 1e6);
}

export function orderJson(o: EmuOrder): Record<string, unknown> {
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: isoUtc(o.createdAt),
    updated_at: isoUtc(o.updatedAt),
    submitted_at: isoUtc(o.createdAt),
    filled_at: ts(o.filledAt),
    expired_at: null,
    canceled_at: ts(o.canceledAt),
    failed_at: ts(o.failedAt),
    replaced_at: ts(o.replacedAt),
    replaced_by: o.replacedBy,
    replaces: o.replaces,
    asset_id: assetId(o.symbol),
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: formatWireQty(o.qty),
    filled_qty: formatWireQty(o.filledQty),
    filled_avg_price: avgPriceString(o),
    order_class: '',
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: o.side === 'buy' ? 'buy_to_open' : 'sell_to_close',
    time_in_force: o.timeInForce,
    limit_price: o.limitPrice === null ? null : formatWirePrice(o.limitPrice),
    stop_price: null,
    status: o.status,
    extended_hours: o.extendedHours,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
  };
}

/** A stable fake asset id per symbol (Alpaca ids are UUIDs). */
export function assetId(symbol: string): string {
  let h = 0;
  for (const c of symbol) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}0000`;
}

export function assetJson(symbol: string): Record<string, unknown> {
  return {
    id: assetId(symbol),
    class: 'us_equity',
    exchange: 'NASDAQ',
    symbol,
    name: `${symbol} (emulated)`,
    status: 'active',
    tradable: true,
    marginable: true,
    maintenance_margin_requirement: 100,
    shortable: true,
    easy_to_borrow: true,
    fractionable: true,
    attributes: [],
  };
}

/** Alpaca's error body: `{ code, message }`. */
export function errorJson(code: number, message: string): Record<string, unknown> {
  return { code, message };
}

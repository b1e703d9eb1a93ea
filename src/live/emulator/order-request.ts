import type { NewOrder } from './venue.js';
import { parseWirePrice, parseWireQty } from './wire-units.js';
import { isOnTickGrid } from '../../engine/tick.js';
import type { Refusal } from './refusal.js';

export type { Refusal } from './refusal.js';

const refuse = (message: string, status = 422, code = 40010000): Refusal => ({ status, code, message });

/**
 * Validates a POST /v2/orders body (Alpaca's snake_case JSON) against what the emulator supports:
 * stock market and limit orders by qty, time in force day/gtc/ioc/fok, optional client_order_id
 * and extended_hours (DAY limit orders only, as Alpaca requires).
 */
export function parseOrderBody(body: unknown, symbolKnown: (s: string) => boolean, newClientId: () => string): NewOrder | Refusal {
  if (typeof body !== 'object' || body === null) return refuse('request body must be a JSON object', 400);
  const b = body as Record<string, unknown>;
  const symbol = typeof b['symbol'] === 'string' ? b['symbol'].toUpperCase() : '';
  if (symbol === '') return refuse('symbol is required');
  if (!symbolKnown(symbol)) return refuse(`asset "${symbol}" not found`, 422, 40010001);
  const side = b['side'];
  if (side !== 'buy' && side !== 'sell') return refuse('side must be buy or sell');
  const type = b['type'];
  if (type !== 'market' && type !== 'limit') return refuse(`order type ${String(type)} is not supported by the emulator`);
  const tif = typeof b['time_in_force'] === 'string' ? b['time_in_force'] : '';
  if (!['day', 'gtc', 'ioc', 'fok'].includes(tif)) return refuse('invalid time_in_force');
  if (b['notional'] != null) return refuse('notional orders are not supported by the emulator');
  const qty = parseWireQty(b['qty']);
  if (qty === null) return refuse('qty must be a positive number with at most 9 decimals');
  let limitPrice = null;
  if (type === 'limit') {
    limitPrice = parseWirePrice(b['limit_price']);
    if (limitPrice === null) return refuse('limit_price is required and must be a positive price');
    if (!isOnTickGrid(limitPrice)) return refuse('invalid limit_price. sub-penny increment does not fulfill minimum pricing criteria');
  } else if (b['limit_price'] != null) return refuse('limit_price must not be set for a market order');
  const extendedHours = b['extended_hours'] === true;
  if (extendedHours && (type !== 'limit' || tif !== 'day')) return refuse('extended hours order must be DAY limit orders');
  const cid = b['client_order_id'];
  if (cid != null && (typeof cid !== 'string' || cid.length === 0 || cid.length > 128)) return refuse('client_order_id must be a string of at most 128 characters');
  return { clientOrderId: typeof cid === 'string' ? cid : newClientId(), symbol, side, type, timeInForce: tif, qty, limitPrice, extendedHours };
}

export function isRefusal(x: NewOrder | Refusal): x is Refusal {
  return 'status' in x;
}

import { ApiError } from '@alpacahq/alpaca-trade-api';
import type { Qty } from '../../engine/units.js';
import type { BrokerOrder } from './order-tracker.js';
import { wireToQty } from './wire-format.js';

/** The order calls recovery needs (a subset of the SDK's `alpaca.trading.orders`). */
export interface ResumeBroker {
  getOrderByClientOrderId(args: { clientOrderId: string }): Promise<BrokerOrder>;
  deleteOrderByOrderID(args: { orderId: string }): Promise<unknown>;
}

export interface RecoveredChild {
  readonly clientOrderId: string;
  readonly n: number;
  /** The broker's status after recovery (a working child has been cancelled by then). */
  readonly status: string;
  readonly filledQty: Qty;
  /** True when recovery itself cancelled this child. */
  readonly cancelledNow: boolean;
}

export interface Recovery {
  readonly children: readonly RecoveredChild[];
  /** Total filled over every child the broker knows under this execution id. */
  readonly filledQty: Qty;
  /** Highest child number the broker knows; the next child is `${executionId}:${lastChild + 1}`. */
  readonly lastChild: number;
}

/** Broker statuses after which an order can neither fill nor be cancelled any more. */
const FINAL = new Set(['filled', 'canceled', 'expired', 'rejected', 'replaced', 'done_for_day', 'stopped', 'suspended']);

/**
 * Consecutive client ids that must be unknown to the broker before the scan stops. A refused
 * replacement consumes a child number without creating an order, so one 404 is not the end.
 */
export const RESUME_GAP = 3;

export interface RecoverOptions {
  /** Wall ms to wait for a cancel to be confirmed before giving up (nothing is sent then). */
  readonly cancelTimeoutMs?: number;
  readonly pollMs?: number;
}

/** The broker's view of one client id, or null if it does not know it (404). Retries anything else a few times. */
async function lookup(broker: ResumeBroker, clientOrderId: string): Promise<BrokerOrder | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await broker.getOrderByClientOrderId({ clientOrderId });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  }
}

/**
 * Recovery of an execution interrupted by a crash, BEFORE anything new is sent: looks up
 * `${executionId}:1`, `:2`, ... at the broker until RESUME_GAP consecutive ids are unknown,
 * cancels every child still working and waits until the broker confirms it final, and counts what
 * filled. Throws (having sent no order) when a cancel is not confirmed in time.
 */
export async function recoverExecution(broker: ResumeBroker, executionId: string, opts: RecoverOptions = {}): Promise<Recovery> {
  const cancelTimeoutMs = opts.cancelTimeoutMs ?? 15_000;
  const pollMs = opts.pollMs ?? 100;
  const children: RecoveredChild[] = [];
  let misses = 0;
  for (let n = 1; misses < RESUME_GAP; n++) {
    const clientOrderId = `${executionId}:${n}`;
    let order = await lookup(broker, clientOrderId);
    if (order === null) {
      misses += 1;
      continue;
    }
    misses = 0;
    let cancelledNow = false;
    if (!FINAL.has(order.status ?? '')) {
      if (order.id === undefined) throw new Error(`resume: order ${clientOrderId} has no broker id; cannot cancel it`);
      try {
        await broker.deleteOrderByOrderID({ orderId: order.id });
        cancelledNow = true;
      } catch (err) {
        // 422: not cancelable (it filled or is being replaced meanwhile); its final state decides.
        if (!(err instanceof ApiError && (err.status === 422 || err.status === 404))) throw err;
      }
      const deadline = performance.now() + cancelTimeoutMs;
      for (;;) {
        order = await lookup(broker, clientOrderId);
        if (order === null) throw new Error(`resume: order ${clientOrderId} vanished at the broker`);
        if (FINAL.has(order.status ?? '')) break;
        if (performance.now() > deadline) throw new Error(`resume: cancel of ${clientOrderId} not confirmed within ${cancelTimeoutMs} ms (status ${order.status ?? '?'}); nothing was sent`);
        await new Promise((r) => setTimeout(r, pollMs));
      }
    }
    children.push({ clientOrderId, n, status: order.status ?? '', filledQty: wireToQty(order.filledQty), cancelledNow });
  }
  return {
    children,
    filledQty: children.reduce((s, c) => s + c.filledQty, 0),
    lastChild: children.reduce((m, c) => Math.max(m, c.n), 0),
  };
}

/**
 * Maps the state machine's client ids (`${executionId}:${n}`, numbered from 1) to the broker's
 * (`${executionId}:${n + offset}`), so a resumed execution never reuses a client id.
 */
export function childIdMapping(executionId: string, offset: number): { toBroker(id: string): string; toEngine(id: string): string } {
  const prefix = `${executionId}:`;
  const shift = (id: string, by: number): string => {
    if (offset === 0 || !id.startsWith(prefix)) return id;
    const n = Number(id.slice(prefix.length));
    return Number.isInteger(n) && n > 0 ? `${prefix}${n + by}` : id;
  };
  return { toBroker: (id) => shift(id, offset), toEngine: (id) => shift(id, -offset) };
}

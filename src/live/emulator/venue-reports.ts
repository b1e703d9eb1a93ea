import type { Money } from '../../engine/money.js';
import type { FillModelConfig } from '../../sim/fill-model-config.js';
import type { EmuAccount } from './account.js';
import type { ExecutionEvent } from '../../engine/execution/types.js';
import { QTY_SCALE, type EpochMs, type Price, type Qty, type Side } from '../../engine/units.js';
import { TERMINAL_STATUSES, type EmuOrder } from './emu-order.js';

/** A trade_updates event before JSON encoding. */
export interface VenueUpdate {
  readonly event: string;
  readonly time: EpochMs;
  readonly order: EmuOrder;
  readonly fill?: { readonly price: Price; readonly qty: Qty; readonly positionQty: Qty; readonly executionId: string };
}

export interface NewOrder {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'market' | 'limit';
  readonly timeInForce: string;
  readonly qty: Qty;
  readonly limitPrice: Price | null;
  readonly extendedHours: boolean;
}

export interface VenueOptions {
  /** Venue time at which the replay starts. */
  readonly startMs: EpochMs;
  readonly speed: number;
  readonly fillModel?: FillModelConfig;
  readonly seed?: string;
  /** The wall clock venue time runs on (default performance.now): a test steps it by hand. */
  readonly wallClock?: () => number;
  /** How often the replay advances, in wall ms. */
  readonly tickMs?: number;
  /** Fault `partial`: each fill is reported in pieces of at most this fraction of the order. */
  readonly partialFraction?: number | null;
  /**
   * A cash account with Alpaca's checks at the door (account.ts): opening cash (Money) and long
   * positions per symbol. Absent: the original single-order margin account ($100,000, no checks).
   */
  readonly account?: { readonly cash: Money; readonly positions: Readonly<Record<string, Qty>> };
}


/** What applying a broker report needs of the venue. */
export interface ReportTarget {
  orderByClientId(clientOrderId: string): EmuOrder | undefined;
  isSilenced(clientOrderId: string): boolean;
  emit(u: VenueUpdate): void;
  nextExecSeq(): number;
  readonly account: EmuAccount;
}

/** Applies one broker report (after its report latency) to Alpaca-style order state and emits the trade update. */
export function applyReport(v: ReportTarget, ev: ExecutionEvent, t: EpochMs): void {
  if (ev.type === 'quote' || ev.type === 'timer') return;
  const order = v.orderByClientId(ev.clientOrderId);
  if (order === undefined || v.isSilenced(ev.clientOrderId)) return;
  order.updatedAt = t;
  switch (ev.type) {
    case 'accepted':
      if (order.status === 'pending_new') order.status = 'new';
      v.emit({ event: 'new', time: t, order });
      return;
    case 'rejected':
      order.status = 'rejected';
      order.failedAt = t;
      order.rejectReason = ev.reason;
      v.emit({ event: 'rejected', time: t, order });
      return;
    case 'fill': {
      order.filledQty += ev.qty;
      order.filledNotional += ev.price * (ev.qty / QTY_SCALE);
      const holding = v.account.applyFill(order.symbol, order.side, ev.qty, ev.price);
      const full = order.filledQty >= order.qty;
      const executedAt = ev.executedAt ?? ev.time;
      if (full) {
        order.status = 'filled';
        order.filledAt = executedAt;
      } else if (order.status === 'new' || order.status === 'pending_new') order.status = 'partially_filled';
      const fill = { price: ev.price, qty: ev.qty, positionQty: holding.qty, executionId: `exec-${v.nextExecSeq()}` };
      v.emit({ event: full ? 'fill' : 'partial_fill', time: executedAt, order, fill });
      return;
    }
    case 'cancelled':
      order.status = 'canceled';
      order.canceledAt = t;
      v.emit({ event: 'canceled', time: t, order });
      return;
    case 'cancel-rejected':
      if (order.status === 'pending_cancel') order.status = order.filledQty > 0 ? 'partially_filled' : 'new';
      return;
    case 'replaced': {
      const fresh = v.orderByClientId(ev.newClientOrderId);
      order.status = 'replaced';
      order.replacedAt = t;
      order.replacedBy = fresh?.id ?? null;
      v.emit({ event: 'replaced', time: t, order });
      if (fresh !== undefined) {
        fresh.qty = ev.qty;
        fresh.status = 'new';
        fresh.updatedAt = t;
        v.emit({ event: 'new', time: t, order: fresh });
      }
      return;
    }
    case 'replace-rejected': {
      if (!TERMINAL_STATUSES.has(order.status)) order.status = order.filledQty > 0 ? 'partially_filled' : 'new';
      const fresh = v.orderByClientId(ev.newClientOrderId);
      if (fresh !== undefined) {
        fresh.status = 'rejected';
        fresh.failedAt = t;
        fresh.rejectReason = ev.reason;
      }
      v.emit({ event: 'order_replace_rejected', time: t, order });
      return;
    }
  }
}

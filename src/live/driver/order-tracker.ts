import type { ExecutionEvent } from '../../engine/execution/types.js';
import type { EpochMs, Price, Qty } from '../../engine/units.js';
import { wireToPrice, wireToQty } from './wire-format.js';

/** The parts of an Alpaca order (SDK `trading.Order`) the live path reads. */
export interface BrokerOrder {
  readonly id?: string;
  readonly clientOrderId?: string;
  readonly status?: string;
  readonly qty?: string | null;
  readonly filledQty?: string | null;
  readonly filledAvgPrice?: string | null;
  readonly filledAt?: Date | null;
  readonly replacedBy?: string | null;
  // What a resume checks and records of an order found at the broker.
  readonly symbol?: string;
  readonly side?: string;
  readonly type?: string;
  readonly limitPrice?: string | null;
  readonly createdAt?: Date | null;
  readonly updatedAt?: Date | null;
  readonly canceledAt?: Date | null;
}

interface Tracked {
  orderId: string | null;
  /** Cumulative filled quantity already turned into fill events. */
  counted: Qty;
  /** Average price of `counted` (price units), for deriving increments from REST snapshots. */
  avg: number;
  terminal: boolean;
  accepted: boolean;
  /** The broker reported it replaced (by this order id) before the replacement was expected. */
  replacedBy: string | null | undefined;
}

const TERMINAL_CANCEL = new Set(['canceled', 'expired', 'done_for_day']);

/**
 * Turns what the broker says about our orders (stream updates, POST/PATCH answers, REST lookups)
 * into faithful ExecutionEvents: each fill is the increment of the cumulative filled quantity not
 * yet counted, so a fill seen twice (stream, then reconciliation) is counted once, and each
 * terminal state is reported once. Fill prices come from the increment's own price when the
 * stream gives it, else from the change in the average fill price.
 */
export class OrderTracker {
  private readonly byClientId = new Map<string, Tracked>();
  private readonly clientIdByOrderId = new Map<string, string>();
  /** Replacement client id asked for, keyed by the order it replaces. */
  private readonly replacements = new Map<string, { readonly next: string; readonly qty: Qty }>();

  track(clientOrderId: string): void {
    if (!this.byClientId.has(clientOrderId)) this.byClientId.set(clientOrderId, { orderId: null, counted: 0, avg: 0, terminal: false, accepted: false, replacedBy: undefined });
  }

  /**
   * A PATCH answered: `newClientOrderId` (working `qty`) replaces `oldClientOrderId` once the
   * broker confirms. The confirmation may already have come (the stream can beat the PATCH's own
   * answer): then its `replaced` event is returned now, since nothing would report it again.
   */
  expectReplacement(oldClientOrderId: string, newClientOrderId: string, qty: Qty, now: EpochMs): ExecutionEvent[] {
    this.replacements.set(oldClientOrderId, { next: newClientOrderId, qty });
    this.track(newClientOrderId);
    const t = this.byClientId.get(oldClientOrderId);
    if (t === undefined || t.terminal || t.replacedBy === undefined) return [];
    return this.confirmReplacement(oldClientOrderId, t, t.replacedBy, now);
  }

  private confirmReplacement(clientOrderId: string, t: Tracked, replacedBy: string | null, now: EpochMs): ExecutionEvent[] {
    const r = this.replacements.get(clientOrderId)!;
    t.terminal = true;
    const nt = this.byClientId.get(r.next);
    if (replacedBy && nt && nt.orderId === null) {
      nt.orderId = replacedBy;
      this.clientIdByOrderId.set(replacedBy, r.next);
    }
    return [{ type: 'replaced', time: now, clientOrderId, newClientOrderId: r.next, qty: r.qty }];
  }

  orderIdOf(clientOrderId: string): string | null {
    return this.byClientId.get(clientOrderId)?.orderId ?? null;
  }

  /** The client id of a broker order id we know, if any. */
  clientIdOf(orderId: string): string | undefined {
    return this.clientIdByOrderId.get(orderId);
  }

  isTerminal(clientOrderId: string): boolean {
    return this.byClientId.get(clientOrderId)?.terminal ?? false;
  }

  /** Client ids we sent that have not reached a terminal state. */
  open(): string[] {
    return [...this.byClientId.entries()].filter(([, t]) => !t.terminal).map(([id]) => id);
  }

  all(): string[] {
    return [...this.byClientId.keys()];
  }

  markTerminal(clientOrderId: string): void {
    const t = this.byClientId.get(clientOrderId);
    if (t) t.terminal = true;
  }

  /**
   * Events for one broker snapshot of an order. `fillPrice`/`fillQty`/`executedAt` come from a
   * stream fill update when there is one. Orders that are not ours are ignored.
   */
  observe(order: BrokerOrder, now: EpochMs, extra: { readonly event?: string; readonly fillPrice?: Price | null; readonly executedAt?: EpochMs } = {}): ExecutionEvent[] {
    const clientOrderId = order.clientOrderId ?? (order.id ? this.clientIdByOrderId.get(order.id) : undefined);
    if (clientOrderId === undefined) return [];
    const t = this.byClientId.get(clientOrderId);
    if (t === undefined) return [];
    if (order.id && t.orderId === null) {
      t.orderId = order.id;
      this.clientIdByOrderId.set(order.id, clientOrderId);
    }
    const events: ExecutionEvent[] = [];
    const status = order.status ?? '';
    if (!t.accepted && status !== 'pending_new' && status !== 'rejected' && status !== '') {
      t.accepted = true;
      events.push({ type: 'accepted', time: now, clientOrderId });
    }
    const cumulative = wireToQty(order.filledQty);
    if (cumulative > t.counted) {
      const inc = cumulative - t.counted;
      const avg = wireToPrice(order.filledAvgPrice);
      let price = extra.fillPrice ?? null;
      if (price === null && avg !== null) price = Math.round((avg * cumulative - t.avg * t.counted) / inc);
      const executedAt = extra.executedAt ?? order.filledAt?.getTime() ?? now;
      if (price !== null && price > 0) {
        events.push({ type: 'fill', time: now, clientOrderId, qty: inc, price, executedAt: Math.min(executedAt, now) });
        t.avg = avg ?? price;
        t.counted = cumulative;
      }
    }
    if (t.terminal) return events;
    if (status === 'filled' && t.counted > 0) t.terminal = true;
    else if (TERMINAL_CANCEL.has(status)) {
      t.terminal = true;
      events.push({ type: 'cancelled', time: now, clientOrderId });
    } else if (status === 'rejected') {
      t.terminal = true;
      events.push({ type: 'rejected', time: now, clientOrderId, reason: 'rejected by the broker' });
    } else if (status === 'replaced') {
      if (this.replacements.has(clientOrderId)) events.push(...this.confirmReplacement(clientOrderId, t, order.replacedBy ?? null, now));
      else t.replacedBy = order.replacedBy ?? null; // kept for expectReplacement
    }
    return events;
  }
}

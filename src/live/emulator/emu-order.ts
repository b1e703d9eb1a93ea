import type { EpochMs, Price, Qty, Side } from '../../engine/units.js';

/** Alpaca order statuses the emulator produces. */
export type EmuOrderStatus = 'pending_new' | 'new' | 'partially_filled' | 'filled' | 'pending_cancel' | 'canceled' | 'pending_replace' | 'replaced' | 'rejected';

export const TERMINAL_STATUSES: ReadonlySet<EmuOrderStatus> = new Set(['filled', 'canceled', 'replaced', 'rejected']);

/** One order as the emulated broker keeps it (venue times, internal units). */
export interface EmuOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'market' | 'limit';
  readonly timeInForce: string;
  qty: Qty;
  readonly limitPrice: Price | null;
  readonly extendedHours: boolean;
  status: EmuOrderStatus;
  filledQty: Qty;
  /** Sum of price units x shares over fills, for the average price. */
  filledNotional: number;
  readonly createdAt: EpochMs;
  updatedAt: EpochMs;
  filledAt: EpochMs | null;
  canceledAt: EpochMs | null;
  failedAt: EpochMs | null;
  replacedAt: EpochMs | null;
  replacedBy: string | null;
  readonly replaces: string | null;
  rejectReason: string | null;
}

import type { Price, Qty, Side } from '../../engine/units.js';
import type { QuoteIndex } from '../tape/tape-index.js';

/**
 * Displayed liquidity our orders have taken from the far side of a replayed tape, per price. A
 * replayed tape never shows our own trades: the same 200 offered shares repeat on every snapshot,
 * and an identical snapshot is not new liquidity. So what we took at a price stays taken, and the
 * size still there is what the tape shows minus what we took (an increase at that price is new
 * size), until the tape shows the level cleared: the far side moving past that price (asks above
 * it for a buyer, bids below it for a seller). A level that comes back after that is new.
 *
 * Clearing is checked lazily, through the tape index, for the snapshots between two looks, so it
 * does not depend on which snapshots a driver replays.
 */
export class TakenLiquidity {
  private readonly taken = new Map<Price, Qty>();
  private syncedThrough = -1;

  constructor(
    /** The side of our orders: a buyer takes asks. */
    private readonly side: Side,
    private readonly index: QuoteIndex,
  ) {}

  /** Forgets the levels that the snapshots after the last look, up to `qi`, show cleared. */
  sync(qi: number): void {
    if (qi <= this.syncedThrough) return;
    const from = this.syncedThrough + 1;
    this.syncedThrough = qi;
    for (const price of [...this.taken.keys()]) {
      const cleared = this.side === 'buy' ? this.index.firstAskAbove(from, price) : this.index.firstBidBelow(from, price);
      if (cleared <= qi) this.taken.delete(price);
    }
  }

  /** What we took at `price` since the level last appeared (Qty). */
  takenAt(price: Price): Qty {
    return this.taken.get(price) ?? 0;
  }

  add(price: Price, qty: Qty): void {
    if (qty > 0) this.taken.set(price, this.takenAt(price) + qty);
  }
}

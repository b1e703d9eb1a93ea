import { tradeUpdateJson } from './trade-update-json.js';
import type { Venue, VenueUpdate } from './venue.js';

type Frame = Record<string, unknown>;

/**
 * The trade_updates feed between the venue and the trading-stream sockets. Each update is encoded
 * when it happens (so a held frame shows the order as it was then) and delivered in order; the
 * `new` of an order whose ack is delayed (delay-ack) holds the feed, and everything behind it, until
 * its release time, as a slow broker would.
 */
export class UpdateFeed {
  private readonly queue: { readonly frame: Frame; readonly releaseAt: number }[] = [];
  private readonly holds = new Map<string, number>();
  private readonly listeners = new Set<(frame: Frame) => void>();
  private timer: NodeJS.Timeout | null = null;
  private readonly off: () => void;

  constructor(venue: Venue) {
    this.off = venue.onUpdate((u) => this.push(u));
  }

  /** Holds the `new` update of this order until `wallMs` from now. */
  holdNew(orderId: string, wallMs: number): void {
    this.holds.set(orderId, performance.now() + wallMs);
  }

  onUpdate(fn: (frame: Frame) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  stop(): void {
    this.off();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private push(u: VenueUpdate): void {
    const releaseAt = u.event === 'new' ? (this.holds.get(u.order.id) ?? 0) : 0;
    this.queue.push({ frame: tradeUpdateJson(u), releaseAt });
    this.flush();
  }

  private flush(): void {
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0]!.releaseAt <= now) {
      const { frame } = this.queue.shift()!;
      for (const fn of this.listeners) fn(frame);
    }
    const head = this.queue[0];
    if (head !== undefined && this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, Math.max(1, head.releaseAt - now));
    }
  }
}

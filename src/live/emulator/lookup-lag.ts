import type { AuditLog } from './audit-log.js';
import type { EmuOrder } from './emu-order.js';

/**
 * Fault `lookup-lag=MS`: an order created less than MS wall milliseconds ago is invisible to
 * lookups (by client id, by id, in lists), as on a broker whose reads come from a lagging
 * replica. Writes (a cancel by id, the uniqueness check of a client order id) see it at once.
 */
export class LookupLag {
  private readonly visibleAt = new Map<string, number>();

  constructor(
    private readonly lagMs: number,
    private readonly audit: AuditLog,
    private readonly venueNow: () => number,
  ) {}

  created(order: EmuOrder): void {
    if (this.lagMs > 0) this.visibleAt.set(order.id, performance.now() + this.lagMs);
  }

  /** Whether a lookup may see `order` now; a hidden one is recorded as an injected fault. */
  visible(order: EmuOrder, lookup: string): boolean {
    const at = this.visibleAt.get(order.id);
    if (at === undefined || performance.now() >= at) return true;
    this.audit.fault('lookup-lag', this.venueNow(), `${lookup}: order ${order.clientOrderId} hidden for ${Math.ceil(at - performance.now())} more ms`);
    return false;
  }
}

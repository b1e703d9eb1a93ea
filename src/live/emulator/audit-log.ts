import type { EpochMs, Side } from '../../engine/units.js';
import type { FaultEvent } from './faults.js';

/** One order request the emulator received (POST, PATCH or DELETE on /v2/orders), and its answer. */
export interface AuditEntry {
  readonly seq: number;
  readonly action: 'submit' | 'replace' | 'cancel';
  /** Wall-clock receipt time (ISO) and venue time (ISO) of the request. */
  readonly receivedAt: string;
  readonly venueTime: string;
  readonly venueMs: EpochMs;
  /** The symbol, side and quantity (wire decimal) the request names: for a cancel, the target's remaining. */
  readonly symbol: string | null;
  readonly side: Side | null;
  readonly qty: string | null;
  readonly clientOrderId: string | null;
  /** The order created (submit, replace) or targeted (cancel); null when refused before creation. */
  readonly orderId: string | null;
  readonly targetOrderId: string | null;
  readonly request: unknown;
  /** The HTTP status answered; 0 when the connection was reset without an answer (reset-after-accept). */
  readonly httpStatus: number;
  /** "accepted", or the error message returned; injected faults say "fault ...". */
  readonly outcome: string;
  /** The fault injected into this request, if any. */
  readonly fault?: string;
}

export class AuditLog {
  private readonly entries: AuditEntry[] = [];
  private readonly faultEvents: FaultEvent[] = [];
  /** Appends one request, in the order received (`seq`): a test can read submission order across symbols from it. */
  record(e: Omit<AuditEntry, 'seq' | 'receivedAt' | 'venueTime' | 'symbol' | 'side' | 'qty'> & Partial<Pick<AuditEntry, 'symbol' | 'side' | 'qty'>>): void {
    this.entries.push({ seq: this.entries.length + 1, receivedAt: new Date().toISOString(), venueTime: new Date(e.venueMs).toISOString(), symbol: null, side: null, qty: null, ...e });
  }
  list(): readonly AuditEntry[] {
    return this.entries;
  }
  /** Records an injected fault (drops, HTTP faults, delayed acks, resets, rejects, fills during cancels). */
  fault(fault: string, venueMs: EpochMs, detail: string): void {
    this.faultEvents.push({ fault, receivedAt: new Date().toISOString(), venueTime: new Date(venueMs).toISOString(), detail });
  }
  faults(): readonly FaultEvent[] {
    return this.faultEvents;
  }
}

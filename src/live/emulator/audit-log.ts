import type { EpochMs } from '../../engine/units.js';

/** One order request the emulator received (POST, PATCH or DELETE on /v2/orders), and its answer. */
export interface AuditEntry {
  readonly seq: number;
  readonly action: 'submit' | 'replace' | 'cancel';
  /** Wall-clock receipt time (ISO) and venue time (ISO) of the request. */
  readonly receivedAt: string;
  readonly venueTime: string;
  readonly venueMs: EpochMs;
  readonly clientOrderId: string | null;
  /** The order created (submit, replace) or targeted (cancel); null when refused before creation. */
  readonly orderId: string | null;
  readonly targetOrderId: string | null;
  readonly request: unknown;
  readonly httpStatus: number;
  /** "accepted", or the error message returned. */
  readonly outcome: string;
}

export class AuditLog {
  private readonly entries: AuditEntry[] = [];
  record(e: Omit<AuditEntry, 'seq' | 'receivedAt' | 'venueTime'>): void {
    this.entries.push({ seq: this.entries.length + 1, receivedAt: new Date().toISOString(), venueTime: new Date(e.venueMs).toISOString(), ...e });
  }
  list(): readonly AuditEntry[] {
    return this.entries;
  }
}

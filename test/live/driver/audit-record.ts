import { expect } from 'vitest';
import type { ExecutionReport } from '../../../src/engine/execution-report.js';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { openDatabase, readExecution, recordExecutions, recordRun } from '../../../src/store/index.js';

/** One order request as the emulator's GET /__audit lists it. */
export interface AuditRow { action: string; clientOrderId: string | null; orderId: string | null; httpStatus: number; status: string | null; filledQty: string | null; fault?: string }

export interface FaultRow { fault: string; venueTime: string }

/**
 * The SQLite record of the execution (written and read back as `execute` does) agrees with the
 * venue's audit: per client id, what the venue filled is what the record says was filled.
 */
export function expectRecordMatchesAudit(report: ExecutionReport, audit: readonly AuditRow[]): void {
  const db = openDatabase(':memory:');
  try {
    const runId = recordRun(db, { kind: 'paper', command: 'test', config: {}, seed: null, dataRef: 'emulator', codeVersion: 'test' });
    const [rowId] = recordExecutions(db, runId, [report]);
    const stored = readExecution(db, rowId!);
    const filledBy = new Map(stored.childOrders.map((c) => [c.clientOrderId, c.fills.reduce((s, f) => s + f.qty, 0) / QTY_SCALE]));
    for (const o of audit) {
      if ((o.action !== 'submit' && o.action !== 'replace') || o.orderId === null || o.clientOrderId === null) continue;
      expect(filledBy.get(o.clientOrderId) ?? 0, `record vs audit for ${o.clientOrderId}`).toBe(Number(o.filledQty ?? 0));
    }
    expect(stored.filledQty / QTY_SCALE).toBe(auditFilled(audit));
  } finally {
    db.close();
  }
}

export function auditFilled(audit: readonly AuditRow[]): number {
  // Every order the venue created counts, whatever the client heard (a reset connection answers nothing).
  return audit.filter((o) => (o.action === 'submit' || o.action === 'replace') && o.orderId !== null).reduce((s, o) => s + Number(o.filledQty ?? 0), 0);
}


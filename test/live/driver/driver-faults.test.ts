import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/engine/config.js';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { auditFilled } from './audit-record.js';
import { expectFailSafe, runAgainstEmulator } from './emulator-run.js';

const tape = generateOpen(TQQQ_LIKE, '2024-06-03', 11, { fromEt: '09:25:00', toEt: '09:50:00' });

/** One execution of the ladder from 09:30, at 20x, against a fresh emulator with `faults`. */
const execute = (faults: string, qty: number, executionId: string) => runAgainstEmulator({ tape, faults, qty, executionId, startEt: '09:30:00', speed: 20 });

describe('live driver under emulator faults (audit is the truth)', () => {
  it('ambiguous POST (connection reset after the venue accepted it): looks the client id up, never re-sends, fills the target', async () => {
    const r = await execute('reset-after-accept=1', 150, 'amb');
    expect(r.audit[0]).toMatchObject({ action: 'submit', fault: 'reset-after-accept' });
    const submits = r.audit.filter((o) => o.action === 'submit');
    const ids = submits.map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(auditFilled(r.audit)).toBe(150);
    expect(r.report.filledQty).toBe(150 * QTY_SCALE);
    expect(r.report.outcome).toBe('filled');
    expectFailSafe(r);
  }, 60_000);

  it('partial fills: each increment is counted once and the total equals the target', async () => {
    const r = await execute('partial=0.25', 200, 'part');
    expect(auditFilled(r.audit)).toBe(200);
    expect(r.report.filledQty).toBe(200 * QTY_SCALE);
    const fills = r.report.childOrders.flatMap((c) => c.fills);
    expect(fills.length).toBeGreaterThan(1);
    expect(fills.reduce((s, f) => s + f.qty, 0)).toBe(200 * QTY_SCALE);
    for (const f of fills) expect(f.ask).not.toBeNull(); // NBBO from the quotes seen
    expectFailSafe(r);
  }, 60_000);

  it('a stream drop while a child works: reconciles through REST and ends with the true filled quantity', async () => {
    // Two children that rest (the emulator's rest fault) keep the execution going for two child
    // timeouts before the market fallback, so the drop three venue seconds in falls inside it
    // whatever the start-up took.
    const config = parseConfig({ ladder: { maxRepegs: 1, timeouts: { openMs: 3_000, normalMs: 3_000 } } });
    const r = await runAgainstEmulator({ tape, faults: 'drop@09:40:03,rest=2', qty: 300, executionId: 'drop', startEt: '09:40:00', speed: 5, config });
    // The drop really fell inside the execution (between its decision and its end).
    const drop = r.faults.find((f) => f.fault.startsWith('drop'));
    expect(drop).toBeDefined();
    const dropAt = Date.parse(drop!.venueTime);
    expect(dropAt).toBeGreaterThanOrEqual(r.report.decisionTime);
    expect(dropAt).toBeLessThanOrEqual(r.report.decisionTime + r.report.durationMs);
    expect(auditFilled(r.audit)).toBe(r.report.filledQty / QTY_SCALE);
    expect(r.report.filledQty).toBe(300 * QTY_SCALE);
    expectFailSafe(r);
  }, 60_000);

  it('a rejected order ends the execution without a further order', async () => {
    const r = await execute('reject=1', 100, 'rej');
    expect(r.audit.filter((o) => o.action === 'submit')).toHaveLength(1);
    expect(r.report.outcome).not.toBe('filled');
    expect(r.report.filledQty).toBe(0);
    expectFailSafe(r);
  }, 60_000);
});

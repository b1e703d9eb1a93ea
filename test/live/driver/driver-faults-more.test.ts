import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { fillModelSchema } from '../../../src/sim/fill-model-config.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { created, expectFailSafe, runAgainstEmulator, type FullAuditRow, type RunOptions } from './emulator-run.js';

const DATE = '2024-06-03';
const defaultTape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:50:00' });
/** A tape whose price rises away from a buy resting at the arrival mid (the tests that need a child still working at its timeout also use the emulator's rest fault). */
const risingTape = generateOpen(TQQQ_LIKE, DATE, 4, { fromEt: '09:25:00', toEt: '09:50:00', shape: { trendBpsPerMinute: 300 } });

/** One execution of the ladder, in process, against a fresh emulator; returns the report and the audit. */
async function execute(o: Omit<RunOptions, 'tape'> & { tape?: Tape }) {
  const r = await runAgainstEmulator({ ...o, tape: o.tape ?? defaultTape });
  expectFailSafe(r);
  return { ...r, open: r.open as unknown[] };
}

const auditFilled = (audit: readonly FullAuditRow[]): number => created(audit).reduce((s, o) => s + Number(o.filledQty ?? 0), 0);

/** Every created order ended final at the venue, and its book is empty. */
function expectClean(audit: readonly FullAuditRow[], open: readonly unknown[]): void {
  for (const o of created(audit)) expect(['filled', 'canceled', 'rejected', 'expired', 'replaced']).toContain(o.status);
  expect(open).toHaveLength(0);
}

const RESTING_QTY = 200;
/**
 * Replay speed of the tests that wait for a cancel's confirmation: the machine gives one 10 s of
 * venue time (1 s of wall time at 10x, too little on a loaded machine; 2 s at 5x), after which it
 * ends "not confirmed in time" (fail-safe, but not the path these tests are about).
 */
const CANCEL_SPEED = 5;

describe('live driver under more emulator faults (audit is the truth)', () => {
  it('fill during cancel: the resting child fills as it is cancelled (422), the true quantity is kept, nothing overfills', async () => {
    // The slippage guard at the mid keeps the first limit passive and prints do not fill it, so it
    // rests and times out.
    const config = parseConfig({ ladder: { maxSlippageBps: 0, maxRepegs: 1, timeouts: { openMs: 3_000, normalMs: 3_000 } } });
    const { report, audit, open } = await execute({ faults: 'fill-during-cancel,rest=1', qty: RESTING_QTY, executionId: 'fdc', startEt: '09:40:00', speed: CANCEL_SPEED, tape: risingTape, config, fillModel: fillModelSchema.parse({ tradeFills: false }) });
    const cancels = audit.filter((o) => o.action === 'cancel');
    expect(cancels.length).toBeGreaterThanOrEqual(1);
    expect(cancels[0]).toMatchObject({ httpStatus: 422 });
    const first = created(audit)[0]!;
    expect(first.clientOrderId).toBe('fdc:1');
    expect(cancels[0]!.targetOrderId ?? first.orderId).toBe(first.orderId);
    expect(first).toMatchObject({ status: 'filled', filledQty: String(RESTING_QTY) });
    // No child after the fill: the 422 is followed by the order's true state, not a new order.
    expect(created(audit).filter((o) => o.seq > cancels[0]!.seq)).toHaveLength(0);
    expect(auditFilled(audit)).toBe(RESTING_QTY);
    expect(report.filledQty).toBe(RESTING_QTY * QTY_SCALE);
    expect(report.outcome).toBe('filled');
    expectClean(audit, open);
  }, 60_000);

  it('a delayed ack (1.5 s wall = 15 s venue, longer than the child timeout): no duplicate, fills the target, nothing working', async () => {
    // The POST is answered 15 s of venue time late; the order works (and fills) at the venue
    // meanwhile, and the ack, the held `new` and the fill must all be counted once.
    const { report, audit, open } = await execute({ faults: 'delay-ack=1500', qty: 200, executionId: 'ack', startEt: '09:36:00', speed: 10 });
    expect(audit.some((o) => o.action === 'submit' && o.fault !== undefined)).toBe(true);
    expect(auditFilled(audit)).toBe(200);
    expect(report.filledQty).toBe(200 * QTY_SCALE);
    expectClean(audit, open);
  }, 60_000);

  it('replace mode: the timed-out child is re-pegged by one PATCH, the old order ends replaced, the target fills', async () => {
    // Nothing matches before 09:40:20 (the fill model's "no fill before the opening quote"), so
    // the first limit rests through its timeout while the rise moves the quote away from it: the
    // re-peg has a new price, and goes as one PATCH. (A limit held by the guard would not do: its
    // re-peg would be capped at its own price, which now keeps it and goes to the fallback.)
    const config = parseConfig({ ladder: { repegMode: 'replace', maxSlippageBps: null, maxRepegs: 1, timeouts: { openMs: 3_000, normalMs: 3_000 } } });
    const tape = { ...risingTape, openingQuoteTime: etClockToEpoch(DATE, '09:40:20') };
    const fillModel = fillModelSchema.parse({ tradeFills: false, noFillBeforeOpeningQuote: true });
    const { report, audit, open } = await execute({ faults: '', qty: 200, executionId: 'rpl', startEt: '09:40:00', speed: CANCEL_SPEED, tape, config, fillModel });
    const replaces = audit.filter((o) => o.action === 'replace');
    expect(replaces).toHaveLength(1);
    expect(replaces[0]).toMatchObject({ clientOrderId: 'rpl:2', httpStatus: 200 });
    expect(created(audit)[0]).toMatchObject({ clientOrderId: 'rpl:1', status: 'replaced' });
    // No cancel was needed for the re-peg itself (only, perhaps, for the last limit before the fallback).
    expect(audit.filter((o) => o.action === 'cancel' && o.seq < replaces[0]!.seq)).toHaveLength(0);
    expect(auditFilled(audit), `${report.outcome}: ${report.reason}; ${JSON.stringify(report.events.map((e) => `${e.time - report.decisionTime} ${e.kind} ${e.detail}`))} ${JSON.stringify(audit.map((o) => [o.seq, o.action, o.clientOrderId, o.httpStatus, o.status, o.filledQty, o.outcome]))}`).toBe(RESTING_QTY);
    expect(report.filledQty).toBe(RESTING_QTY * QTY_SCALE);
    expect(report.repegs).toBe(1);
    const ids = created(audit).map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(open).toHaveLength(0);
  }, 60_000);
});

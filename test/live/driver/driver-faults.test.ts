import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { brokerCalendar, brokerNow, createAlpaca, latestQuote, type AlpacaSessionOptions } from '../../../src/live/driver/alpaca-session.js';
import { brokerWindows } from '../../../src/live/driver/broker-windows.js';
import { runLiveExecution } from '../../../src/live/driver/live-driver.js';
import { VenueClock } from '../../../src/live/driver/venue-clock.js';
import { startEmulator } from '../../../src/live/emulator/server.js';
import { auditFilled, expectRecordMatchesAudit, type AuditRow, type FaultRow } from './audit-record.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';

const DATE = '2024-06-03';
const SPEED = 20;
const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:50:00' });


/** One execution of the ladder, in process, against a fresh emulator with `faults`; returns the report and the audit. */
async function execute(faults: string, qty: number, executionId: string) {
  const emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:30:00'), speed: SPEED, faults });
  try {
    const opts: AlpacaSessionOptions = { keyId: emu.keys.keyId, secret: emu.keys.secret, paper: true, endpoint: emu.baseUrl, feed: 'iex' };
    const alpaca = createAlpaca(opts);
    const settings = strategySettings('ladder', DEFAULT_CONFIG, tape.symbol);
    const clock = new VenueClock(await brokerNow(alpaca), SPEED);
    const windows = brokerWindows(clock.now(), await brokerCalendar(alpaca, clock.now()), settings.windowTimes);
    const quote = await latestQuote(alpaca, tape.symbol, 'iex');
    const { report, tape: seen } = await runLiveExecution(alpaca, opts, clock, { executionId, strategy: 'ladder', symbol: tape.symbol, side: 'buy', qty: qty * QTY_SCALE, settings, alertCostBps: 25, windows, quote });
    const { orders, faults: applied } = (await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: AuditRow[]; faults: FaultRow[] };
    expectRecordMatchesAudit(report, orders);
    return { report, audit: orders, faults: applied, seen };
  } finally {
    await emu.close();
  }
}

describe('live driver under emulator faults (audit is the truth)', () => {
  it('ambiguous POST (connection reset after the venue accepted it): looks the client id up, never re-sends, fills the target', async () => {
    const { report, audit } = await execute('reset-after-accept=1', 150, 'amb');
    expect(audit[0]).toMatchObject({ action: 'submit', fault: 'reset-after-accept' });
    const submits = audit.filter((o) => o.action === 'submit');
    expect(submits[0]?.clientOrderId).toBeDefined();
    const ids = submits.map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(auditFilled(audit)).toBe(150);
    expect(report.filledQty).toBe(150 * QTY_SCALE);
    expect(report.outcome).toBe('filled');
  }, 60_000);

  it('partial fills: each increment is counted once and the total equals the target', async () => {
    const { report, audit } = await execute('partial=0.25', 200, 'part');
    expect(auditFilled(audit)).toBe(200);
    expect(report.filledQty).toBe(200 * QTY_SCALE);
    const fills = report.childOrders.flatMap((c) => c.fills);
    expect(fills.length).toBeGreaterThan(1);
    expect(fills.reduce((s, f) => s + f.qty, 0)).toBe(200 * QTY_SCALE);
    for (const f of fills) expect(f.ask).not.toBeNull(); // NBBO from the quotes seen
  }, 60_000);

  it('stream drop right after the open: reconciles through REST and ends with the true filled quantity', async () => {
    const { report, audit, faults } = await execute('drop@09:30:02', 300, 'drop');
    // The drop really fell inside the execution (between its decision and its end).
    const drop = faults.find((f) => f.fault.startsWith('drop'));
    expect(drop).toBeDefined();
    const dropAt = Date.parse(drop!.venueTime);
    expect(dropAt).toBeGreaterThanOrEqual(report.decisionTime);
    expect(dropAt).toBeLessThanOrEqual(report.decisionTime + report.durationMs);
    expect(auditFilled(audit)).toBe(report.filledQty / QTY_SCALE);
    expect(report.filledQty).toBe(300 * QTY_SCALE);
  }, 60_000);

  it('a rejected order ends the execution without a further order', async () => {
    const { report, audit } = await execute('reject=1', 100, 'rej');
    expect(audit.filter((o) => o.action === 'submit')).toHaveLength(1);
    expect(report.outcome).not.toBe('filled');
    expect(report.filledQty).toBe(0);
  }, 60_000);
});

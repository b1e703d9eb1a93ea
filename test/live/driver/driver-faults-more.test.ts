import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig, type BetterOrdersConfig } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { QTY_SCALE } from '../../../src/engine/units.js';
import { brokerCalendar, brokerNow, createAlpaca, latestQuote, type AlpacaSessionOptions } from '../../../src/live/driver/alpaca-session.js';
import { brokerWindows } from '../../../src/live/driver/broker-windows.js';
import { runLiveExecution } from '../../../src/live/driver/live-driver.js';
import { VenueClock } from '../../../src/live/driver/venue-clock.js';
import { expectRecordMatchesAudit } from './audit-record.js';
import { startEmulator } from '../../../src/live/emulator/server.js';
import { fillModelSchema, type FillModelConfig } from '../../../src/sim/fill-model-config.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';

const DATE = '2024-06-03';
const defaultTape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:50:00' });
/** A tape whose price does not come down to the resting mid limit within the child timeout. */
// A steady rise leaves the resting buy behind however late its timeout fires on a loaded machine.
const risingTape = generateOpen(TQQQ_LIKE, DATE, 4, { fromEt: '09:25:00', toEt: '09:50:00', shape: { trendBpsPerMinute: 300 } });

interface AuditRow { seq: number; action: string; clientOrderId: string | null; orderId: string | null; targetOrderId: string | null; httpStatus: number; status: string | null; filledQty: string | null; outcome: string; fault?: string }
interface RunOptions { faults: string; qty: number; executionId: string; startEt: string; speed: number; config?: BetterOrdersConfig; seed?: string; fillModel?: FillModelConfig; tape?: typeof defaultTape }

/** Setup reads (clock, calendar) are safe GETs: retried here, as the SDK would with `retry` on. */
async function retrying<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** One execution of the ladder, in process, against a fresh emulator; returns the report and the audit. */
async function execute(o: RunOptions) {
  const tape = o.tape ?? defaultTape;
  const emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, o.startEt), speed: o.speed, faults: o.faults, ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.fillModel ? { fillModel: o.fillModel } : {}) });
  try {
    const opts: AlpacaSessionOptions = { keyId: emu.keys.keyId, secret: emu.keys.secret, paper: true, endpoint: emu.baseUrl, feed: 'iex' };
    const alpaca = createAlpaca(opts);
    const settings = strategySettings('ladder', o.config ?? DEFAULT_CONFIG, tape.symbol);
    const clock = new VenueClock(await retrying(() => brokerNow(alpaca)), o.speed);
    const windows = brokerWindows(clock.now(), await retrying(() => brokerCalendar(alpaca, clock.now())), settings.windowTimes);
    const quote = await latestQuote(alpaca, tape.symbol, 'iex');
    const { report } = await runLiveExecution(alpaca, opts, clock, { executionId: o.executionId, strategy: 'ladder', symbol: tape.symbol, side: 'buy', qty: o.qty * QTY_SCALE, settings, alertCostBps: 25, windows, quote });
    const { orders } = (await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: AuditRow[] };
    expectRecordMatchesAudit(report, orders);
    // Whatever the client heard, the venue's own book: nothing may still be working.
    const open = (await (await fetch(`${emu.baseUrl}/v2/orders?status=open`, { headers: { 'APCA-API-KEY-ID': emu.keys.keyId, 'APCA-API-SECRET-KEY': emu.keys.secret } })).json()) as unknown[];
    return { report, audit: orders, open };
  } finally {
    await emu.close();
  }
}

/** Orders the venue created (submits and replacements that got an order id). */
const created = (audit: readonly AuditRow[]) => audit.filter((o) => (o.action === 'submit' || o.action === 'replace') && o.orderId !== null);
const auditFilled = (audit: readonly AuditRow[]): number => created(audit).reduce((s, o) => s + Number(o.filledQty ?? 0), 0);

/** The audit invariants every test shares: no duplicate client id among created orders, nothing working. */
function expectClean(audit: readonly AuditRow[], open: readonly unknown[]): void {
  const ids = created(audit).map((o) => o.clientOrderId);
  expect(new Set(ids).size).toBe(ids.length);
  for (const o of created(audit)) expect(['filled', 'canceled', 'rejected', 'expired']).toContain(o.status);
  expect(open).toHaveLength(0);
}

describe('live driver under more emulator faults (audit is the truth)', () => {
  it('fill during cancel: the resting child fills as it is cancelled (422), the true quantity is kept, nothing overfills', async () => {
    // The slippage guard at the mid keeps the first limit passive and prints do not fill it, so it
    // rests and times out.
    const config = parseConfig({ ladder: { maxSlippageBps: 0, maxRepegs: 1, timeouts: { openMs: 3_000, normalMs: 3_000 } } });
    const { report, audit, open } = await execute({ faults: 'fill-during-cancel', qty: 200, executionId: 'fdc', startEt: '09:40:00', speed: 10, tape: risingTape, config, fillModel: fillModelSchema.parse({ tradeFills: false }) });
    const cancels = audit.filter((o) => o.action === 'cancel');
    expect(cancels.length).toBeGreaterThanOrEqual(1);
    expect(cancels[0]).toMatchObject({ httpStatus: 422 });
    const first = created(audit)[0]!;
    expect(first.clientOrderId).toBe('fdc:1');
    expect(cancels[0]!.targetOrderId ?? first.orderId).toBe(first.orderId);
    expect(first).toMatchObject({ status: 'filled', filledQty: '200' });
    // No child after the fill: the 422 is followed by the order's true state, not a new order.
    expect(created(audit).filter((o) => o.seq > cancels[0]!.seq)).toHaveLength(0);
    expect(auditFilled(audit)).toBe(200);
    expect(report.filledQty).toBe(200 * QTY_SCALE);
    expect(report.outcome).toBe('filled');
    expectClean(audit, open);
  }, 60_000);

  it('5xx and 429 answers (seeded): never re-POSTs a client id, fills the target', async () => {
    const { report, audit, open } = await execute({ faults: 'http5xx=0.3,http429=0.2', qty: 300, executionId: 'http', startEt: '09:36:00', speed: 10, seed: '12' });
    const posts = audit.filter((o) => o.action === 'submit');
    // The seed makes the first order POST answer 429 before anything is done (no order exists).
    expect(posts[0]).toMatchObject({ clientOrderId: null, orderId: null, httpStatus: 429 });
    // A client id reaches the venue once; the unprocessed POST is re-sent under the same id, and a
    // child is POSTed at most 5 times (each run of unprocessed POSTs ends with one created order).
    const postedIds = posts.filter((o) => o.clientOrderId !== null).map((o) => o.clientOrderId);
    expect(new Set(postedIds).size).toBe(postedIds.length);
    expect(postedIds[0]).toBe('http:1');
    let run = 0;
    for (const o of posts) {
      run = o.orderId === null ? run + 1 : 0;
      expect(run).toBeLessThan(5);
    }
    expect(auditFilled(audit)).toBe(300);
    expect(report.filledQty).toBe(300 * QTY_SCALE);
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
    const { report, audit, open } = await execute({ faults: '', qty: 200, executionId: 'rpl', startEt: '09:40:00', speed: 10, tape, config, fillModel });
    const replaces = audit.filter((o) => o.action === 'replace');
    expect(replaces).toHaveLength(1);
    expect(replaces[0]).toMatchObject({ clientOrderId: 'rpl:2', httpStatus: 200 });
    expect(created(audit)[0]).toMatchObject({ clientOrderId: 'rpl:1', status: 'replaced' });
    // No cancel was needed for the re-peg itself (only, perhaps, for the last limit before the fallback).
    expect(audit.filter((o) => o.action === 'cancel' && o.seq < replaces[0]!.seq)).toHaveLength(0);
    expect(auditFilled(audit)).toBe(200);
    expect(report.filledQty).toBe(200 * QTY_SCALE);
    expect(report.repegs).toBe(1);
    const ids = created(audit).map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(open).toHaveLength(0);
  }, 60_000);
});

/**
 * One execution of the ladder, in process, through the real SDK against a fresh loopback
 * emulator, and the fail-safe checks every live driver test shares, asserted from the
 * emulator's audit (the broker's truth) and its own order book.
 */
import { expect } from 'vitest';
import { DEFAULT_CONFIG, type BetterOrdersConfig } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { QTY_SCALE, type Side } from '../../../src/engine/units.js';
import { alpacaPorts } from '../../../src/live/driver/alpaca-ports.js';
import { brokerCalendar, brokerNow, createAlpaca, latestQuote, type AlpacaSessionOptions } from '../../../src/live/driver/alpaca-session.js';
import type { StreamBudget } from '../../../src/live/driver/alpaca-streams.js';
import type { GatewayTimings, PossiblyWorking } from '../../../src/live/driver/broker-gateway.js';
import { brokerWindows } from '../../../src/live/driver/broker-calendar-windows.js';
import { runLiveExecution, type LiveExecutionResult } from '../../../src/live/driver/live-driver.js';
import { VenueClock } from '../../../src/live/driver/venue-clock.js';
import { TERMINAL_STATUSES } from '../../../src/live/emulator/emu-order.js';
import { startEmulator } from '../../../src/live/emulator/server.js';
import type { FillModelConfig } from '../../../src/sim/fill-model-config.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { expectRecordMatchesAudit, type AuditRow, type FaultRow } from './audit-record.js';

export interface FullAuditRow extends AuditRow {
  seq: number;
  targetOrderId: string | null;
  outcome: string;
}

export interface RunOptions {
  readonly tape: Tape;
  readonly faults: string;
  readonly qty: number;
  readonly executionId: string;
  readonly startEt: string;
  readonly speed: number;
  readonly side?: Side;
  readonly config?: BetterOrdersConfig;
  readonly seed?: string;
  readonly fillModel?: FillModelConfig;
  readonly timings?: GatewayTimings;
  readonly streams?: StreamBudget;
}

export interface RunResult extends Omit<LiveExecutionResult, 'tape'> {
  readonly audit: FullAuditRow[];
  readonly faults: FaultRow[];
  /** The venue's open orders after the run, from its book. */
  readonly open: { client_order_id: string }[];
  /** Wall ms of runLiveExecution. */
  readonly wallMs: number;
}

/** Setup reads (clock, calendar) are safe GETs: retried here, as the CLI's setup is. */
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

export async function runAgainstEmulator(o: RunOptions): Promise<RunResult> {
  const emu = await startEmulator({ tape: o.tape, startMs: etClockToEpoch(o.tape.date, o.startEt), speed: o.speed, faults: o.faults, ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.fillModel ? { fillModel: o.fillModel } : {}) });
  try {
    const opts: AlpacaSessionOptions = { keyId: emu.keys.keyId, secret: emu.keys.secret, paper: true, endpoint: emu.baseUrl, feed: 'iex' };
    const alpaca = createAlpaca(opts);
    const settings = strategySettings('ladder', o.config ?? DEFAULT_CONFIG, o.tape.symbol);
    const clock = new VenueClock(await retrying(() => brokerNow(alpaca)), o.speed);
    const windows = brokerWindows(clock.now(), await retrying(() => brokerCalendar(alpaca, clock.now())), settings.windowTimes);
    const quote = await latestQuote(alpaca, o.tape.symbol, 'iex');
    const t0 = performance.now();
    const ports = alpacaPorts(alpaca, opts, o.tape.symbol, clock, { ...(o.timings ? { timings: o.timings } : {}), ...(o.streams ? { streams: o.streams } : {}) });
    const result = await runLiveExecution(ports, { executionId: o.executionId, strategy: 'ladder', symbol: o.tape.symbol, side: o.side ?? 'buy', qty: o.qty * QTY_SCALE, settings, alertCostBps: 25, windows, quote });
    const wallMs = performance.now() - t0;
    const { orders, faults } = (await (await fetch(`${emu.baseUrl}/__audit`)).json()) as { orders: FullAuditRow[]; faults: FaultRow[] };
    // The venue's own book (not over HTTP, which the faults would touch too).
    const open = emu.venue.orders().filter((x) => !TERMINAL_STATUSES.has(x.status)).map((x) => ({ client_order_id: x.clientOrderId }));
    return { report: result.report, possiblyWorking: result.possiblyWorking, error: result.error, audit: orders, faults, open, wallMs };
  } finally {
    await emu.close();
  }
}

/** Orders the venue created (submits and replacements that got an order id). */
export const created = (audit: readonly FullAuditRow[]) => audit.filter((o) => (o.action === 'submit' || o.action === 'replace') && o.orderId !== null);

/**
 * The fail-safe contract of every run (issue 9): no client id created twice, the record equal to
 * the broker per child and in total, and nothing working at the broker that the result does not
 * name as possibly working.
 */
export function expectFailSafe(r: RunResult): void {
  const ids = created(r.audit).map((o) => o.clientOrderId);
  expect(new Set(ids).size, 'a client id created twice').toBe(ids.length);
  expectRecordMatchesAudit(r.report, r.audit);
  const named = new Set(r.possiblyWorking.map((p: PossiblyWorking) => p.clientOrderId));
  for (const o of r.open) expect(named.has(o.client_order_id), `${o.client_order_id} still working at the broker, not named`).toBe(true);
  expect(r.report.filledQty).toBeLessThanOrEqual(r.report.qty);
}

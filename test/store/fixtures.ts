import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open-database.js';
import { recordRun } from '../../src/store/record-run.js';

/** A fresh folder under the OS temp dir; `cleanup` removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'better-orders-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function newRun(db: Database, kind: 'sim' | 'paper' | 'live' | 'tune' = 'sim'): number {
  return recordRun(db, {
    kind,
    command: 'better-orders sim --scenario opens.json',
    config: { maxRepegs: 2, ticks: 1 },
    seed: 42,
    dataRef: 'scenarios/opens.json',
    codeVersion: 'test',
    createdAt: 1_700_000_000_000,
  });
}

export function openTemp(dir: string): Database {
  return openDatabase(join(dir, 'runs.sqlite'));
}

/** A fresh database file for each test of the calling file, closed and removed after it; call at module level. */
export function useTempDatabase(): () => Database {
  let db: Database;
  let cleanup: () => void;
  beforeEach(() => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openTemp(t.dir);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });
  return () => db;
}

/**
 * A rich buy: 1.5 shares, a rejected first child, a partially filled limit that was cancelled,
 * then a market fallback with a fill of unknown NBBO. Fractional TCA values on purpose.
 */
export function richReport(overrides: Partial<ExecutionReport> = {}): ExecutionReport {
  return {
    executionId: 'exec-1',
    strategy: 'ladder',
    symbol: 'TQQQ',
    date: '2024-03-01',
    side: 'buy',
    qty: 1_500_000_000,
    decisionTime: 1_709_303_400_000,
    liquidity: 'nominal',
    chargedCostBps: 3.25,
    arrival: { time: 1_709_303_400_120, bid: 612_300, ask: 612_500, bidSize: 300, askSize: 1.5 },
    outcome: 'filled',
    reason: null,
    filledQty: 1_500_000_000,
    repegs: 1,
    usedFallback: true,
    durationMs: 4_250,
    tca: {
      arrivalMid: 612_400.5,
      avgPrice: 612_633.3333333334,
      costBps: 3.812093422,
      costCentsPerShare: 2.33333333,
      effectiveCostBps: -0.125,
      vwap: null,
      vwapCostBps: null,
      alert: true,
      alertBoundBps: 2.5,
      alertBoundClass: 'normal',
    },
    childOrders: [
      {
        clientOrderId: 'exec-1:0',
        type: 'limit',
        limitPrice: 612_550,
        qty: 1_500_000_000,
        submittedAt: 1_709_303_400_130,
        endedAt: 1_709_303_400_180,
        status: 'rejected',
        rejectReason: 'sub-penny limit price',
        fills: [],
      },
      {
        clientOrderId: 'exec-1:1',
        type: 'limit',
        limitPrice: 612_600,
        qty: 1_500_000_000,
        submittedAt: 1_709_303_400_200,
        endedAt: 1_709_303_402_200,
        status: 'cancelled',
        rejectReason: null,
        fills: [
          { time: 1_709_303_400_250, price: 612_600, qty: 500_000_000, bid: 612_400, ask: 612_600 },
          { time: 1_709_303_400_900, price: 612_600, qty: 250_000_000, bid: 612_500, ask: 612_700 },
        ],
      },
      {
        clientOrderId: 'exec-1:2',
        type: 'market',
        limitPrice: null,
        qty: 750_000_000,
        submittedAt: 1_709_303_402_300,
        endedAt: null,
        status: 'filled',
        rejectReason: null,
        fills: [{ time: 1_709_303_402_350, price: 612_700, qty: 750_000_000, bid: null, ask: null }],
      },
    ],
    events: [
      { time: 1_709_303_400_000, kind: 'decide', detail: 'spread tight: 2 ticks' },
      { time: 1_709_303_400_180, kind: 'reject', detail: 'exec-1:0 sub-penny' },
      { time: 1_709_303_402_200, kind: 'repeg', detail: '' },
      { time: 1_709_303_402_300, kind: 'fallback', detail: 'market for 0.75 shares' },
      { time: 1_709_303_402_310, kind: 'alert', detail: 'slippage guard capped the limit at 612600', code: 'slippage-guard-hit' },
    ],
    ...overrides,
  };
}

/** A failed sell with no arrival quote and nothing filled: every nullable field null. */
export function emptyReport(overrides: Partial<ExecutionReport> = {}): ExecutionReport {
  return {
    executionId: 'exec-empty',
    strategy: 'ladder',
    symbol: 'SOXL',
    date: '2024-03-01',
    side: 'sell',
    qty: 10_000_000_000,
    decisionTime: 1_709_303_400_000,
    liquidity: null,
    chargedCostBps: null,
    arrival: null,
    outcome: 'failed',
    reason: 'no valid quote within 5000 ms',
    filledQty: 0,
    repegs: 0,
    usedFallback: false,
    durationMs: 5_000,
    tca: {
      arrivalMid: null,
      avgPrice: null,
      costBps: null,
      costCentsPerShare: null,
      effectiveCostBps: null,
      vwap: null,
      vwapCostBps: null,
      alert: false,
      alertBoundBps: 25,
      alertBoundClass: null,
    },
    childOrders: [],
    events: [],
    ...overrides,
  };
}

/** A minimal filled execution with chosen cost figures, for view arithmetic. */
export function costReport(
  executionId: string,
  strategy: string,
  decisionTime: number,
  costBps: number | null,
  extra: Partial<ExecutionReport> = {},
): ExecutionReport {
  const base = emptyReport();
  return {
    ...base,
    executionId,
    strategy,
    decisionTime,
    outcome: costBps === null ? 'failed' : 'filled',
    filledQty: costBps === null ? 0 : base.qty,
    tca: { ...base.tca, costBps, costCentsPerShare: costBps === null ? null : costBps / 10 },
    ...extra,
  };
}

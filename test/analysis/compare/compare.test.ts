import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { sharesToQty } from '../../../src/engine/units.js';
import { diffMetrics, metricsOf } from '../../../src/analysis/compare/compare-metrics.js';
import { configOfRun, replayExecution } from '../../../src/analysis/compare/replay-execution.js';
import { DEFAULT_FILL_MODEL } from '../../../src/sim/fill-model-config.js';
import { runSimExecution } from '../../../src/sim/sim-driver.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { listComparisons, readComparison, readExecutionRun, recordComparison } from '../../../src/store/comparisons.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { readExecution } from '../../../src/store/read-executions.js';
import { recordExecutions, recordRun } from '../../../src/store/record-run.js';

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:50:00' });
const decisionTime = etClockToEpoch(DATE, '09:30:00');

function simulatedAsReal(seed: string) {
  return runSimExecution(
    tape,
    {
      executionId: 'bo-real', strategy: 'ladder', symbol: tape.symbol, date: DATE, side: 'buy', qty: sharesToQty(200), decisionTime,
      settings: strategySettings('ladder', DEFAULT_CONFIG, tape.symbol), alertCostBps: DEFAULT_CONFIG.ladder.alertCostBps,
    },
    DEFAULT_FILL_MODEL,
    seed,
  );
}

describe('replayExecution', () => {
  it('replays the same order with the same configuration: identical to a direct simulation with the same seed', () => {
    const real = simulatedAsReal('7');
    const sim = replayExecution(tape, real, DEFAULT_CONFIG, DEFAULT_FILL_MODEL, '7');
    expect(sim.executionId).toBe('bo-real-sim');
    expect({ ...sim, executionId: 'bo-real', childOrders: [], events: [] }).toEqual({ ...real, childOrders: [], events: [] });
    const d = diffMetrics(metricsOf(real), metricsOf(sim));
    expect(d).toEqual({ filledQty: 0, avgPrice: 0, costBps: 0, timeToFillMs: 0, repegs: 0, fallbackAgrees: true, outcomeAgrees: true });
  });

  it('metricsOf: time to fill is decision to last fill, null when nothing filled', () => {
    const real = simulatedAsReal('3');
    const m = metricsOf(real);
    const last = Math.max(...real.childOrders.flatMap((c) => c.fills.map((f) => f.time)));
    expect(m.timeToFillMs).toBe(last - real.decisionTime);
    expect(metricsOf({ ...real, childOrders: [], filledQty: 0, tca: { ...real.tca, avgPrice: null, costBps: null } }).timeToFillMs).toBeNull();
    expect(diffMetrics(m, { ...m, avgPrice: null }).avgPrice).toBeNull();
  });

  it('configOfRun reads the execute record shape and a bare config, and re-validates', () => {
    const cfg = parseConfig({ ladder: { alertCostBps: 9 } });
    const stored = JSON.parse(JSON.stringify({ config: cfg, endpoint: null, feed: 'iex' })) as unknown;
    expect(configOfRun(stored)).toEqual(cfg);
    expect(configOfRun(JSON.parse(JSON.stringify(cfg)))).toEqual(cfg);
    expect(() => configOfRun({ config: { ladder: { nope: 1 } } })).toThrow(/ladder.nope: unknown field/);
  });
});

describe('comparisons table', () => {
  it('records a comparison next to its execution, reads it back, and cascades with the execution', () => {
    const db = openDatabase(':memory:');
    const runId = recordRun(db, { kind: 'paper', command: 'x', config: { config: DEFAULT_CONFIG }, seed: null, dataRef: '/tmp/x_quotes.csv', codeVersion: 't' });
    const real = simulatedAsReal('5');
    const [execId] = recordExecutions(db, runId, [real]);
    expect(readExecutionRun(db, execId!)).toMatchObject({ runId, kind: 'paper', dataRef: '/tmp/x_quotes.csv', seed: null });
    const sim = replayExecution(tape, readExecution(db, execId!), DEFAULT_CONFIG, DEFAULT_FILL_MODEL, '9');
    const id = recordComparison(db, { executionId: execId!, seed: '9', config: { config: DEFAULT_CONFIG }, sim: { avg: sim.tca.avgPrice }, real: metricsOf(real), simulated: metricsOf(sim), createdAt: 1 });
    const back = readComparison(db, id);
    expect(back).toEqual({ id, executionId: execId, createdAt: 1, seed: '9', config: JSON.parse(JSON.stringify({ config: DEFAULT_CONFIG })), sim: { avg: sim.tca.avgPrice }, real: metricsOf(real), simulated: metricsOf(sim) });
    expect(listComparisons(db, execId!).map((c) => c.id)).toEqual([id]);
    const row = db.prepare('SELECT cost_bps_diff, avg_price_diff FROM comparisons WHERE id = ?').get(id) as { cost_bps_diff: number; avg_price_diff: number };
    expect(row.avg_price_diff).toBeCloseTo(sim.tca.avgPrice! - real.tca.avgPrice!, 9);
    expect(() => readComparison(db, 999)).toThrow(/no comparison with id 999/);
    expect(() => recordComparison(db, { executionId: 12345, seed: '1', config: {}, sim: {}, real: metricsOf(real), simulated: metricsOf(sim) })).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM executions WHERE id = ?').run(execId);
    expect(listComparisons(db, execId!)).toEqual([]);
    db.close();
  });
});

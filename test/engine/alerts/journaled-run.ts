/**
 * An execution driven event by event through the pure machine and its journal, for alert tests
 * that need broker reports the simulator never produces (a fill for an order it did not send).
 */
import { ExecutionJournal } from '../../../src/engine/execution/journal.js';
import { startExecution, stepExecution } from '../../../src/engine/execution/step.js';
import type { ExecutionEvent, ExecutionState } from '../../../src/engine/execution/types.js';
import type { BetterOrdersConfig } from '../../../src/engine/config.js';
import type { ExecutionReport } from '../../../src/engine/execution-report.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { computeTca } from '../../../src/engine/tca.js';
import { et, SHARE } from '../execution/scenarios.js';

const q = (time: number, bid: number, ask: number) => ({ time, bid, ask, bidSize: 100, askSize: 100 });

/**
 * A ladder buy of 100 at 10:00 on $60.00 / $60.01 whose first order fills, then a fill arrives for
 * `strayId`, an order the execution never sent (a broker or reconciliation anomaly).
 */
export function strayFillReport(config: BetterOrdersConfig, strayId = 'x1:9'): ExecutionReport {
  const settings = strategySettings('ladder', config, 'TQQQ');
  const t0 = et('10:00');
  const journal = new ExecutionJournal({ executionId: 'x1', strategy: 'ladder', symbol: 'TQQQ', date: '2024-03-04', side: 'buy', qty: 100 * SHARE, decisionTime: t0 });
  const first = startExecution({ executionId: 'x1', side: 'buy', qty: 100 * SHARE, decisionTime: t0, quote: q(t0, 600_000, 600_100) }, settings);
  let state: ExecutionState = first.state;
  journal.recordActions(t0, first.actions);
  const feed = (event: ExecutionEvent): void => {
    journal.recordBrokerEvent(event, q(event.time, 600_000, 600_100));
    const next = stepExecution(state, event, settings);
    state = next.state;
    journal.recordActions(event.time, next.actions);
  };
  feed({ type: 'accepted', time: t0 + 60, clientOrderId: 'x1:1' });
  feed({ type: 'fill', time: t0 + 80, clientOrderId: strayId, qty: 5 * SHARE, price: 600_100 });
  feed({ type: 'fill', time: t0 + 90, clientOrderId: 'x1:1', qty: 100 * SHARE, price: 600_100 });
  const tca = computeTca({ side: 'buy', arrival: state.arrival, fills: journal.fills(), vwap: null, alertCostBps: config.ladder.alertCostBps });
  return journal.build(state, tca);
}

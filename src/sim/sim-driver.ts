import { startExecution, stepExecution } from '../engine/execution/step.js';
import type { ExecutionEvent, ExecutionSettings, ExecutionState } from '../engine/execution/types.js';
import type { ExecutionMeta, ExecutionReport } from '../engine/execution-report.js';
import { cachedCalendarWindows } from './calendar-windows-cache.js';
import { EventQueue } from './event-queue.js';
import type { FillModelConfig } from './fill-model-config.js';
import { runLanes, type LaneOwner } from './run-lanes.js';
import { SimLane, type Queued } from './sim-lane.js';
import type { Tape } from './tape/tape.js';

export interface SimExecutionRequest extends ExecutionMeta {
  readonly settings: ExecutionSettings;
  readonly alertCostBps: number;
}

/**
 * Runs one execution against a replayed tape in virtual time: the pure state machine decides,
 * the simulated exchange matches, and latencies are events in a time-ordered queue, so a
 * two-minute wait costs microseconds. It is the one-lane case of run-lanes.ts (a rebalance runs
 * several lanes on the same loop, rebalance-driver.ts); the random stream is keyed by the seed
 * and the execution's market inputs (not the strategy), so strategies compared on one open draw
 * from the same stream (SimLane.begin). The reports equal those of replaying every quote and
 * print (test/sim/driver-equivalence.test.ts).
 */
export function runSimExecution(tape: Tape, req: SimExecutionRequest, fillModel: FillModelConfig, seed: string | number): ExecutionReport {
  const queue = new EventQueue<Queued>(req.decisionTime);
  const lane = new SimLane(tape, queue, req.decisionTime);
  lane.begin(req, req.settings, fillModel, seed);
  const windows = cachedCalendarWindows(req.decisionTime, req.settings.windowTimes);
  const first = startExecution(
    {
      executionId: req.executionId,
      side: req.side,
      qty: req.qty,
      decisionTime: req.decisionTime,
      quote: lane.delivered >= 0 ? lane.quoteAtIndex(lane.delivered) : null,
      windows,
    },
    req.settings,
  );
  let state: ExecutionState = first.state;
  lane.carry(req.decisionTime, first.actions);

  const owner: LaneOwner = {
    finished: () => state.phase === 'done',
    runningState: () => (state.phase === 'done' ? null : state),
    runningSettings: () => req.settings,
    awaitsValidQuote: () => false,
    deliver: (_lane: SimLane, event: ExecutionEvent) => {
      const next = stepExecution(state, event, req.settings);
      state = next.state;
      lane.carry(event.time, next.actions);
    },
    beforeEvent: () => {},
    ownTimer: () => {},
  };
  runLanes([lane], queue, owner);
  return lane.report(state, req.alertCostBps);
}

import type { ExecutionAction, ExecutionEvent } from '../engine/execution/types.js';
import type { ExecutionReport } from '../engine/execution-report.js';
import type { Money } from '../engine/money.js';
import { quoteProblem, type Quote } from '../engine/quote.js';
import { cashOf } from '../engine/rebalance/ledger.js';
import type { RebalanceAction, RebalanceEvent, RebalanceMachineSettings, RebalanceState } from '../engine/rebalance/machine-types.js';
import { planRebalance } from '../engine/rebalance/plan.js';
import type { RebalancePlan, RebalanceTargets, SymbolMarket } from '../engine/rebalance/plan-types.js';
import { startRebalance, stepRebalance } from '../engine/rebalance/step.js';
import type { EpochMs, Qty } from '../engine/units.js';
import { EventQueue } from './event-queue.js';
import type { FillModelConfig } from './fill-model-config.js';
import { runLanes, type LaneOwner } from './run-lanes.js';
import { SimLane, type Queued } from './sim-lane.js';
import type { Tape } from './tape/tape.js';

export interface SimRebalanceRequest {
  readonly rebalanceId: string;
  /** One tape per symbol, all of one date. */
  readonly tapes: readonly Tape[];
  readonly targets: RebalanceTargets;
  readonly positions: Readonly<Record<string, Qty>>;
  readonly cash: Money;
  /** When the rebalance is decided; the plan is made at the first moment every symbol has a valid quote. */
  readonly decisionTime: EpochMs;
  readonly settings: RebalanceMachineSettings;
  /** Per symbol: TCA's alert bound (the ladder's alertCostBps). */
  readonly alertCostBps: Readonly<Record<string, number>>;
  /** The liquidity model's name, carried into every execution report. */
  readonly liquidity: string;
}

export interface SimRebalanceResult {
  readonly plan: RebalancePlan;
  /** When the plan was made: the decision, or later when a symbol had no valid quote yet. */
  readonly planTime: EpochMs;
  /** The machine's last state; its outcome is set (the tapes ending first finishes it as partial or failed). */
  readonly state: RebalanceState;
  readonly outcome: { readonly status: 'completed' | 'partial' | 'failed'; readonly reason: string | null; readonly at: EpochMs };
  /** One report per leg that started, in the plan's order (sells, then buys). */
  readonly executions: readonly ExecutionReport[];
  /** The rebalance's log (plan, sizing, drops), with times. */
  readonly log: readonly { readonly time: EpochMs; readonly event: string; readonly detail: string }[];
  /** The lowest cash balance the machine's books showed after any event (Money). */
  readonly lowestCash: Money;
  /** The quote prevailing per symbol when the rebalance ended (what its weights are valued at). */
  readonly lastQuotes: Readonly<Record<string, Quote | null>>;
}

/** A rebalance that cannot start on these tapes: one line naming the symbol. */
export class RebalanceInputError extends RangeError {
  override readonly name = 'RebalanceInputError';
}

/**
 * The plan's moment: the decision, or, when a symbol's quote at the decision cannot be priced
 * (missing, crossed, stale), the first later snapshot where every symbol's can, within the longest
 * quoteWaitMs. Prices are never taken from the future of the moment they are used at.
 */
function planMoment(lanes: readonly SimLane[], req: SimRebalanceRequest): { time: EpochMs; markets: Record<string, SymbolMarket> } {
  const ageOf = (s: string): number => req.settings.executions[s]!.maxQuoteAgeMs;
  const wait = Math.max(...lanes.map((l) => req.settings.executions[l.tape.symbol]!.quoteWaitMs));
  // Moving to one symbol's next valid quote may leave another's stale: repeat until all can be
  // priced at once (each pass moves forward, so it ends), or the wait runs out.
  let time = req.decisionTime;
  for (let moved = true; moved && time - req.decisionTime <= wait; ) {
    moved = false;
    for (const lane of lanes) {
      if (quoteProblem(lane.quoteAtTime(time), time, ageOf(lane.tape.symbol)) === null) continue;
      const next = lane.quoteIndex.firstValid(lane.prevailing(time) + 1);
      if (next >= lane.quotes.length) continue;
      time = Math.max(time, lane.quotes.time[next]!);
      moved = true;
    }
  }
  const markets: Record<string, SymbolMarket> = {};
  for (const lane of lanes) {
    const s = lane.tape.symbol;
    const quote = lane.quoteAtTime(time);
    const problem = quoteProblem(quote, time, ageOf(s));
    if (problem !== null || time - req.decisionTime > wait) {
      throw new RebalanceInputError(`${s} ${lane.tape.date}: no valid quote to plan the rebalance from within ${wait} ms of the decision (${problem ?? 'the wait ran out'})`);
    }
    markets[s] = { quote: quote!, maxSlippageBps: req.settings.maxSlippageBps[s] ?? null };
  }
  return { time, markets };
}

/**
 * Runs a rebalance on replayed tapes of one date in virtual time: one lane per symbol on one
 * event queue (run-lanes.ts), so the sells and buys interleave in time as they would live. The
 * pure rebalance machine decides and composes one ladder execution per leg; each lane's simulated
 * exchange matches that leg's orders. Deterministic: every lane's random stream is keyed by the
 * seed and its execution's inputs (SimLane.begin).
 *
 * @throws RebalanceInputError when a symbol has no tape, tapes are of different dates, or there is
 *   no valid quote to plan from.
 */
export function runSimRebalance(req: SimRebalanceRequest, fillModel: FillModelConfig, seed: string | number): SimRebalanceResult {
  const dates = [...new Set(req.tapes.map((t) => t.date))];
  if (dates.length !== 1) throw new RebalanceInputError(`a rebalance replays tapes of one date, got ${dates.join(', ') || 'none'}`);
  const queue = new EventQueue<Queued>(req.decisionTime);
  const lanes = req.tapes.map((tape) => new SimLane(tape, queue, req.decisionTime));
  const bySymbol = new Map(lanes.map((l) => [l.tape.symbol, l]));
  if (bySymbol.size !== lanes.length) throw new RebalanceInputError('a rebalance takes one tape per symbol');
  const { time: planTime, markets } = planMoment(lanes, req);
  queue.advanceTo(planTime);
  const plan = planRebalance({ targets: req.targets, positions: req.positions, cash: req.cash, markets, settings: req.settings.rebalance });

  const log: { time: EpochMs; event: string; detail: string }[] = [];
  const date = dates[0]!;
  let state: RebalanceState;
  let lowestCash = req.cash;

  const laneOf = (symbol: string): SimLane => bySymbol.get(symbol)!;
  const carry = (t: EpochMs, actions: readonly RebalanceAction[]): void => {
    // A leg's actions are carried in order, batched per leg as a single execution's are.
    const batch: { lane: SimLane | null; actions: ExecutionAction[] } = { lane: null, actions: [] };
    const flush = (): void => {
      if (batch.lane !== null) batch.lane.carry(t, batch.actions);
      batch.lane = null;
      batch.actions = [];
    };
    for (const a of actions) {
      if (a.kind === 'execution') {
        const lane = laneOf(a.symbol);
        if (batch.lane !== lane) {
          flush();
          batch.lane = lane;
        }
        batch.actions.push(a.action);
        continue;
      }
      flush();
      if (a.kind === 'start-execution') {
        const r = a.request;
        const lane = laneOf(a.symbol);
        lane.begin(
          { executionId: r.executionId, strategy: 'ladder', symbol: a.symbol, date, side: r.side, qty: r.qty, decisionTime: r.decisionTime, liquidity: req.liquidity },
          req.settings.executions[a.symbol]!,
          fillModel,
          seed,
        );
      } else if (a.kind === 'set-timer') queue.push(Math.max(a.at, t), { lane: null, item: { k: 'timer', id: a.id } });
      else if (a.kind === 'log') log.push({ time: t, event: a.event, detail: a.detail });
    }
    flush();
  };
  const step = (event: RebalanceEvent, t: EpochMs): void => {
    const tr = stepRebalance(state, event, req.settings);
    state = tr.state;
    carry(t, tr.actions);
    lowestCash = Math.min(lowestCash, cashOf(state));
  };

  const quotes: Record<string, Quote | null> = {};
  for (const [s, m] of Object.entries(markets)) quotes[s] = m.quote;
  const first = startRebalance({ rebalanceId: req.rebalanceId, plan, cash: req.cash, positions: req.positions, quotes, time: planTime }, req.settings);
  state = first.state;
  for (const lane of lanes) lane.delivered = lane.prevailing(planTime);
  carry(planTime, first.actions);

  const legOf = (lane: SimLane) => state.legs.find((l) => l.symbol === lane.tape.symbol);
  /** A buy still waiting to be sized is sized from the quote prevailing then. */
  const refreshWaitingBuys = (t: EpochMs): void => {
    for (const lane of lanes) {
      if (legOf(lane)?.status !== 'waiting') continue;
      const qi = lane.prevailing(t);
      if (qi <= lane.delivered) continue;
      lane.delivered = qi;
      step({ type: 'quote', time: t, symbol: lane.tape.symbol, quote: lane.quoteAtIndex(qi) }, t);
    }
  };
  const owner: LaneOwner = {
    finished: () => state.phase === 'done',
    runningState: (lane) => {
      const leg = legOf(lane);
      return leg?.status === 'running' ? leg.execution : null;
    },
    runningSettings: (lane) => req.settings.executions[lane.tape.symbol]!,
    // While the buys are being sized, a buy without a valid quote waits for its next one.
    awaitsValidQuote: (lane) => state.phase === 'sizing' && legOf(lane)?.status === 'waiting',
    deliver: (lane, event: ExecutionEvent) => {
      const symbol = lane.tape.symbol;
      if (event.type === 'quote') step({ type: 'quote', time: event.time, symbol, quote: event.quote }, event.time);
      else step({ type: 'execution', symbol, event }, event.time);
    },
    beforeEvent: refreshWaitingBuys,
    ownTimer: (t, id) => step({ type: 'timer', time: t, id }, t),
  };
  runLanes(lanes, queue, owner);

  const end = queue.now;
  const traded = state.legs.some((l) => l.filledQty > 0);
  const outcome = state.outcome ?? { status: traded ? ('partial' as const) : ('failed' as const), reason: 'the tapes ended before the rebalance finished', at: end };
  const executions = state.legs.filter((l) => l.execution !== null).map((l) => laneOf(l.symbol).report(l.execution!, req.alertCostBps[l.symbol] ?? 0));
  const lastQuotes: Record<string, Quote | null> = {};
  for (const lane of lanes) lastQuotes[lane.tape.symbol] = lane.quoteAtTime(outcome.at);
  return { plan, planTime, state, outcome, executions, log, lowestCash, lastQuotes };
}

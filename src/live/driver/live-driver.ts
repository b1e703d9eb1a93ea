import { ExecutionJournal } from '../../engine/execution/journal.js';
import { nextWake } from '../../engine/execution/next-wake.js';
import { startExecution, stepExecution } from '../../engine/execution/step.js';
import type { ExecutionAction, ExecutionEvent, ExecutionSettings, ExecutionState } from '../../engine/execution/types.js';
import type { DecisionEvent, ExecutionReport } from '../../engine/execution-report.js';
import type { ResolvedWindows } from '../../engine/trading-day-windows.js';
import type { Quote } from '../../engine/quote.js';
import { computeTca } from '../../engine/tca.js';
import type { EpochMs, Price, Qty, Side } from '../../engine/units.js';
import { BrokerGateway, type GatewayTimings, type PossiblyWorking } from './broker-gateway.js';
import { REAL_WALL_CLOCK, type BrokerPort, type DriverClock, type MarketStreams, type WallClock } from './broker-port.js';
import { inRegularHours } from './broker-calendar-windows.js';
import { OrderTracker } from './order-tracker.js';
import { childIdMapping } from './resume.js';
import { SerialQueue } from './serial-queue.js';
import { TapeRecorder } from './execution-tape-recorder.js';

export interface LiveExecutionRequest {
  readonly executionId: string;
  readonly strategy: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Qty;
  readonly settings: ExecutionSettings;
  readonly alertCostBps: number;
  readonly windows: ResolvedWindows | string;
  /** The quote at the decision (REST latest), if any. */
  readonly quote: Quote | null;
  /** A rebalance buy's cap (ExecutionRequest.priceCap): no child above it, so it never costs more than the cash set aside. */
  readonly priceCap?: Price;
  /**
   * Resume: the broker already knows children `${executionId}:1..childOffset` (recovered and
   * final). The machine's child n goes to the broker as `${executionId}:${n + childOffset}`.
   */
  readonly childOffset?: number;
  /** Called once, with the arrival quote, before the first order is sent (to persist it). */
  readonly onArrival?: (arrival: Quote) => void;
  /** Called with the broker client id of each order just before it is POSTed or PATCHed (to persist it). */
  readonly beforeSend?: (clientOrderId: string) => void;
  /**
   * Called with the decision log (it only ever grows) each time the machine's actions are logged,
   * before any of them is sent, so alerts are raised while the order is still working. Must return at once and never throw: it
   * runs on the order flow (AlertDispatcher.publish only records and enqueues).
   */
  readonly onDecisionLog?: (log: readonly DecisionEvent[]) => void;
}

/** What the live driver runs on (broker-port.ts); `alpacaPorts` builds the real ones. */
export interface LivePorts {
  readonly broker: BrokerPort;
  readonly streams: MarketStreams;
  readonly clock: DriverClock;
  readonly wall?: WallClock;
  readonly timings?: GatewayTimings;
}

export interface LiveExecutionResult {
  readonly report: ExecutionReport;
  readonly tape: TapeRecorder;
  /** Orders whose end the broker did not confirm in time: they may still be working. Empty when all is settled. */
  readonly possiblyWorking: readonly PossiblyWorking[];
  /** An unexpected error that stopped the execution early (its orders were still settled), or null. */
  readonly error: Error | null;
}

const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * Runs ONE execution of the pure state machine against a broker: an event pump. Quotes come
 * from the stock stream (REST latest as fallback), order reports from the trade stream and REST
 * reconciliation, timers from the venue clock; the machine's actions go to the broker gateway,
 * which owns every retry and the ambiguity policy. All work runs on one serial queue, so nothing
 * is sent while an earlier answer is being worked out.
 *
 * Whatever the outcome, the execution ends with the gateway's sweep: every order that may still
 * be working is cancelled and confirmed final; those it cannot confirm are returned in
 * `possiblyWorking`. Rejects (having sent nothing) only when the streams cannot be opened.
 */
export async function runLiveExecution(ports: LivePorts, req: LiveExecutionRequest): Promise<LiveExecutionResult> {
  const { broker, streams, clock } = ports;
  const wall = ports.wall ?? REAL_WALL_CLOCK;
  const { settings } = req;
  const tracker = new OrderTracker();
  const tape = new TapeRecorder();
  const windows = typeof req.windows === 'string' ? null : req.windows;
  const gateway = new BrokerGateway(broker, tracker, wall, () => clock.now(), { symbol: req.symbol, side: req.side }, ports.timings);
  // Inside the driver every client id is the broker's; the machine's ids are mapped at the edges.
  const ids = childIdMapping(req.executionId, req.childOffset ?? 0);

  // The decision is taken once the streams are up, from the freshest quote by then (the first
  // child must not be priced from a quote fetched before a slow handshake). Until then no event
  // is delivered: the machine's state does not exist yet (issue 9, finding 8).
  let started = false;
  let decisionQuote: Quote | null = req.quote;
  let decisionTime!: EpochMs;
  let journal!: ExecutionJournal;
  let state!: ExecutionState;
  let error: Error | null = null;
  let arrivalNoted = false;
  let finished!: () => void;
  const machineDone = new Promise<void>((resolve) => (finished = resolve));
  let openGate!: () => void;
  const queue = new SerialQueue(new Promise<void>((resolve) => (openGate = resolve)), (err) => {
    // An unexpected failure stops the execution: nothing more is sent; its orders are settled below.
    error ??= toError(err);
    finished();
  });
  if (req.quote !== null) tape.addQuote(req.quote);

  const deliver = async (brokerEvent: ExecutionEvent): Promise<void> => {
    const event = toEngineEvent(ids, brokerEvent);
    if (event.type !== 'quote' && event.type !== 'timer') {
      const at = event.type === 'fill' ? (event.executedAt ?? event.time) : event.time;
      journal.recordBrokerEvent(event, tape.quoteAt(at));
    }
    const next = stepExecution(state, event, settings);
    state = next.state;
    if (!arrivalNoted && state.arrival !== null) {
      arrivalNoted = true;
      req.onArrival?.(state.arrival);
    }
    await carry(event.time, next.actions);
    if (state.phase === 'done') finished();
  };
  /** Delivers the gateway's events, oldest first (a nested drain continues the same order). */
  const drain = async (): Promise<void> => {
    for (let e = gateway.nextEvent(); e !== undefined; e = gateway.nextEvent()) await deliver(e);
  };

  /**
   * Arms a real timer for the timer the machine waits on (engine/execution/next-wake.ts), once per
   * timer id. A superseded timer that was armed still fires; the machine ignores it by id.
   */
  let armedTimerId: string | null = null;
  const armWake = (): void => {
    const { timer } = nextWake(state, settings);
    if (timer === null || timer.id === armedTimerId) return;
    armedTimerId = timer.id;
    const { id, at } = timer;
    clock.setTimer(at, () => queue.push(() => deliver({ type: 'timer', time: Math.max(at, clock.now()), id })));
  };

  const carry = async (t: EpochMs, actions: readonly ExecutionAction[]): Promise<void> => {
    journal.recordActions(t, actions);
    // The log's new entries (a fallback, a reject...) are raised as alerts before anything is sent.
    req.onDecisionLog?.(journal.decisionLog());
    for (const a of actions.map((x) => toBrokerAction(ids, x))) {
      switch (a.kind) {
        case 'submit': {
          const extended = !inRegularHours(clock.now(), windows);
          const refusal = error !== null ? `not sent: the execution stopped (${error.message})` : extended && a.order.type === 'market' ? 'no market orders outside regular hours' : null;
          if (refusal !== null) {
            await deliver({ type: 'rejected', time: clock.now(), clientOrderId: a.order.clientOrderId, reason: refusal });
            break;
          }
          req.beforeSend?.(a.order.clientOrderId);
          await gateway.submit(a.order, extended);
          await drain();
          break;
        }
        case 'cancel':
          await gateway.cancel(a.clientOrderId);
          await drain();
          break;
        case 'replace':
          if (error !== null) {
            await deliver({ type: 'replace-rejected', time: clock.now(), clientOrderId: a.clientOrderId, newClientOrderId: a.order.clientOrderId, reason: 'not sent: the execution stopped' });
            break;
          }
          req.beforeSend?.(a.order.clientOrderId);
          await gateway.replace(a.clientOrderId, a.order);
          await drain();
          break;
        case 'set-timer':
          break; // armWake below arms the machine's timer from nextWake once the actions are carried
        case 'finish':
          finished();
          break;
        default:
          break;
      }
    }
    armWake();
  };

  let lastStreamQuoteWall = wall.now();
  streams.onUpdate((u) => {
    gateway.observeUpdate(u);
    if (started) queue.push(drain);
  });
  streams.onQuote((q) => {
    lastStreamQuoteWall = wall.now();
    tape.addQuote(q);
    if (!started) {
      if (decisionQuote === null || q.time >= decisionQuote.time) decisionQuote = q;
      return;
    }
    queue.push(() => deliver({ type: 'quote', time: Math.max(clock.now(), q.time), quote: q }));
  });
  streams.onTrade((tr) => tape.addTrade(tr));
  streams.onReconnect(() => {
    if (!started) return;
    queue.push(async () => {
      await gateway.reconcile(gateway.openIds());
      await drain();
    });
  });

  let stopPoll: (() => void) | null = null;
  let possiblyWorking: readonly PossiblyWorking[] = [];
  try {
    // An execution over at once (market shut, nothing to do) needs no streams.
    if (typeof req.windows !== 'string' && req.qty > 0) await streams.open();
    decisionTime = clock.now();
    journal = new ExecutionJournal({ executionId: req.executionId, strategy: req.strategy, symbol: req.symbol, date: typeof req.windows === 'string' ? new Date(decisionTime).toISOString().slice(0, 10) : req.windows.date, side: req.side, qty: req.qty, decisionTime });
    const first = startExecution({ executionId: req.executionId, side: req.side, qty: req.qty, decisionTime, quote: decisionQuote, windows: req.windows, ...(req.priceCap !== undefined ? { priceCap: req.priceCap } : {}) }, settings);
    state = first.state;
    started = true;
    // First in line, before any stream event: the machine's first actions.
    queue.push(() => carry(decisionTime, first.actions));
    openGate();
    // Fallbacks: the REST latest quote when the stream is quiet, and a periodic reconciliation of
    // open orders (catches a gap the stream did not report as a reconnect). One poll at a time.
    const quietWallMs = clock.wallMs(settings.maxQuoteAgeMs / 2);
    let polling = false;
    stopPoll = clock.every(Math.max(100, Math.min(quietWallMs, 1000)), () => {
      if (polling) return;
      polling = true;
      queue.push(async () => {
        try {
          if (wall.now() - lastStreamQuoteWall > quietWallMs) {
            const q = await broker.latestQuote();
            if (q !== null) {
              tape.addQuote(q);
              await deliver({ type: 'quote', time: Math.max(clock.now(), q.time), quote: q });
            }
          }
          await gateway.reconcile(gateway.openIds());
          await drain();
        } finally {
          polling = false;
        }
      });
    });
    await machineDone;
    // The broker's last word on every order sent, then the sweep: whatever may still work is
    // cancelled and confirmed final (late fills still count). No fixed wait: an order the broker
    // reports final cannot change any more, and one that is not is what the sweep waits for.
    try {
      possiblyWorking = await queue.run(async () => {
        await gateway.reconcile(gateway.allIds());
        await drain();
        const unconfirmed = await gateway.finalize();
        await drain();
        return unconfirmed;
      });
    } catch (err) {
      error ??= toError(err);
      possiblyWorking = gateway.possiblyWorking();
    }
  } finally {
    stopPoll?.();
    clock.cancelAll();
    streams.close();
  }
  // Reports that arrived during the sweep were queued behind it: deliver them before the record
  // is built (the gateway has already counted them, so no later lookup would bring them again).
  await queue.run(drain).catch((err: unknown) => void (error ??= toError(err)));

  const tca = computeTca({
    side: req.side,
    arrival: state.arrival,
    fills: journal.fills(),
    vwap: tape.vwap(decisionTime, journal.endTime()),
    alertCostBps: state.assessment?.slippageBudgetBps ?? req.alertCostBps,
    alertBoundClass: state.assessment?.spreadClass ?? null,
  });
  let report = journal.build(state, tca);
  if (error !== null && state.phase !== 'done') {
    const outcome = state.filledQty >= state.targetQty ? 'filled' : state.filledQty > 0 ? 'partial' : 'failed';
    report = { ...report, outcome, reason: outcome === 'filled' ? null : `stopped by an unexpected error: ${error.message}` };
  }
  // The report names children by the broker's client ids, as the audit and the broker do.
  if ((req.childOffset ?? 0) !== 0) report = { ...report, childOrders: report.childOrders.map((c) => ({ ...c, clientOrderId: ids.toBroker(c.clientOrderId) })) };
  return { report, tape, possiblyWorking, error };
}

type IdMapping = ReturnType<typeof childIdMapping>;

function toEngineEvent(ids: IdMapping, e: ExecutionEvent): ExecutionEvent {
  if (e.type === 'quote' || e.type === 'timer') return e;
  const clientOrderId = ids.toEngine(e.clientOrderId);
  return e.type === 'replaced' || e.type === 'replace-rejected' ? { ...e, clientOrderId, newClientOrderId: ids.toEngine(e.newClientOrderId) } : { ...e, clientOrderId };
}

function toBrokerAction(ids: IdMapping, a: ExecutionAction): ExecutionAction {
  switch (a.kind) {
    case 'submit':
      return { ...a, order: { ...a.order, clientOrderId: ids.toBroker(a.order.clientOrderId) } };
    case 'cancel':
      return { ...a, clientOrderId: ids.toBroker(a.clientOrderId) };
    case 'replace':
      return { ...a, clientOrderId: ids.toBroker(a.clientOrderId), order: { ...a.order, clientOrderId: ids.toBroker(a.order.clientOrderId) } };
    default:
      return a;
  }
}

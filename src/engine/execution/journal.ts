import { TERMINAL_CHILD_STATUSES, type ChildOrderReport, type ChildStatus, type DecisionEvent, type ExecutionMeta, type ExecutionReport, type FillReport, type Tca } from '../execution-report.js';
import type { Quote } from '../quote.js';
import type { EpochMs } from '../units.js';
import type { ExecutionAction, ExecutionEvent, ExecutionState } from './types.js';

interface ChildRecord {
  report: Omit<ChildOrderReport, 'fills' | 'status' | 'endedAt' | 'rejectReason'>;
  status: ChildStatus;
  endedAt: EpochMs | null;
  rejectReason: string | null;
  fills: FillReport[];
}

/**
 * What happened during one execution, as drivers saw it: every child sent, every broker report
 * (fills with the NBBO prevailing at that moment) and the decision log. Both drivers fill one in,
 * so simulated and real executions produce the same report shape.
 */
export class ExecutionJournal {
  private readonly children = new Map<string, ChildRecord>();
  private readonly events: DecisionEvent[] = [];
  private lastTime: EpochMs;

  readonly meta: ExecutionMeta;

  constructor(meta: ExecutionMeta) {
    // Copy the identifying fields only: callers pass richer requests that must not leak into reports.
    const { executionId, strategy, symbol, date, side, qty, decisionTime } = meta;
    this.meta = { executionId, strategy, symbol, date, side, qty, decisionTime, liquidity: meta.liquidity ?? null };
    this.lastTime = decisionTime;
  }

  recordActions(time: EpochMs, actions: readonly ExecutionAction[]): void {
    for (const a of actions) {
      if (a.kind === 'submit' || a.kind === 'replace') {
        const o = a.order;
        this.children.set(o.clientOrderId, {
          report: { clientOrderId: o.clientOrderId, type: o.type, limitPrice: o.limitPrice, qty: o.qty, submittedAt: time },
          status: 'pending',
          endedAt: null,
          rejectReason: null,
          fills: [],
        });
      } else if (a.kind === 'log') {
        this.events.push({ time, kind: a.event, detail: a.detail });
      } else if (a.kind === 'alert') {
        this.events.push({ time, kind: 'alert', detail: a.detail, code: a.code });
      } else if (a.kind === 'finish') {
        this.events.push({ time, kind: 'finish', detail: a.reason === null ? a.outcome : `${a.outcome}: ${a.reason}` });
        this.lastTime = Math.max(this.lastTime, time);
      }
    }
  }

  /** The decision log so far (a live driver reads its new entries after each step, to raise alerts as they happen). */
  decisionLog(): readonly DecisionEvent[] {
    return this.events;
  }

  /** Records a broker report; `nbbo` is the quote prevailing at the event's time. */
  recordBrokerEvent(event: ExecutionEvent, nbbo: Quote | null): void {
    if (event.type === 'quote' || event.type === 'timer') return;
    const child = this.children.get(event.clientOrderId);
    if (child === undefined) return;
    const end = (status: ChildStatus): void => {
      child.status = status;
      child.endedAt = event.time;
      this.lastTime = Math.max(this.lastTime, event.time);
    };
    switch (event.type) {
      case 'accepted':
        if (child.status === 'pending') child.status = 'accepted';
        break;
      case 'fill': {
        child.fills.push({ time: event.executedAt ?? event.time, price: event.price, qty: event.qty, bid: nbbo?.bid ?? null, ask: nbbo?.ask ?? null });
        const filled = child.fills.reduce((sum, f) => sum + f.qty, 0);
        if (filled >= child.report.qty) end('filled');
        else child.status = 'partially-filled';
        break;
      }
      case 'cancelled':
        if (child.endedAt === null) end('cancelled');
        break;
      case 'rejected':
        child.rejectReason = event.reason;
        end('rejected');
        break;
      case 'cancel-rejected':
        break;
      case 'replaced': {
        end('replaced');
        const next = this.children.get(event.newClientOrderId);
        // Its own fills may have been reported first (REST reconciliation); never revive it.
        if (next !== undefined && next.endedAt === null) {
          if (next.status === 'pending') next.status = 'accepted';
          next.report = { ...next.report, qty: event.qty };
        }
        break;
      }
      case 'replace-rejected': {
        const next = this.children.get(event.newClientOrderId);
        if (next !== undefined && next.endedAt === null) {
          next.status = 'rejected';
          next.rejectReason = event.reason;
          next.endedAt = event.time;
        }
        break;
      }
    }
  }

  fills(): FillReport[] {
    return [...this.children.values()].flatMap((c) => c.fills);
  }

  /** Interval end for VWAP and duration: the last terminal child or the finish. */
  endTime(): EpochMs {
    return this.lastTime;
  }

  /**
   * A child the broker never answered before the execution ended (a replacement abandoned because
   * the order it was to replace filled first) takes the machine's final word instead of 'pending'.
   */
  private reconciled(c: ChildRecord, state: ExecutionState): ChildOrderReport {
    const r = c.report;
    const report: ChildOrderReport = {
      clientOrderId: r.clientOrderId,
      type: r.type,
      limitPrice: r.limitPrice,
      qty: r.qty,
      submittedAt: r.submittedAt,
      endedAt: c.endedAt,
      status: c.status,
      rejectReason: c.rejectReason,
      fills: c.fills,
    };
    const machine = state.children.find((m) => m.clientOrderId === c.report.clientOrderId);
    if (c.endedAt !== null || machine === undefined || !TERMINAL_CHILD_STATUSES.has(machine.status)) return report;
    const reason = machine.status === 'rejected' ? 'abandoned: the order it was to replace ended first' : c.rejectReason;
    return { ...report, status: machine.status, endedAt: state.outcome?.at ?? null, rejectReason: reason };
  }

  build(state: ExecutionState, tca: Tca): ExecutionReport {
    const m = this.meta;
    // Fields written out rather than spread: V8 builds a spread of a class field slowly, and this
    // runs once per simulated execution (a fifth of a sweep's time when spread). Same key order.
    return {
      executionId: m.executionId,
      strategy: m.strategy,
      symbol: m.symbol,
      date: m.date,
      side: m.side,
      qty: m.qty,
      decisionTime: m.decisionTime,
      liquidity: m.liquidity ?? null,
      arrival: state.arrival,
      outcome: state.outcome?.status ?? 'failed',
      reason: state.outcome === null ? 'execution did not finish' : state.outcome.reason,
      filledQty: state.filledQty,
      repegs: state.repegs,
      usedFallback: state.usedFallback,
      durationMs: this.lastTime - m.decisionTime,
      tca,
      chargedCostBps: null,
      childOrders: [...this.children.values()].map((c) => this.reconciled(c, state)),
      events: this.events,
    };
  }
}

/**
 * Shared harness for the execution state machine tests: the driver that feeds events to the pure
 * machine, keeps the broker model (broker-model.ts) in step and checks the DESIGN.md invariants
 * after every transition (invariants.ts), plus conveniences for example tests. Scenario
 * generators live in scenarios.ts, the fast-check commands in commands.ts and
 * adversarial-commands.ts, the property runner in model-run.ts.
 */
import { isDeepStrictEqual } from 'node:util';
import { startExecution, stepExecution } from '../../../src/engine/execution/step.js';
import type { ExecutionAction, ExecutionEvent, ExecutionSettings, ExecutionState, Transition } from '../../../src/engine/execution/types.js';
import type { EpochMs, Price, Qty } from '../../../src/engine/units.js';
import { BrokerModel } from './broker-model.js';
import { checkEnd, checkTransition, ALL_INVARIANTS, type DriveOptions, type Invariant } from './invariants.js';
import type { Setup } from './scenarios.js';

export * from './broker-model.js';
export * from './scenarios.js';

// ---------------------------------------------------------------- the driver

export function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

export interface FedStep {
  readonly event: ExecutionEvent | null;
  readonly transition: Transition;
}

/**
 * Runs one execution: starts it, feeds events, keeps the broker model in step with the actions,
 * and checks the enabled invariants after every transition (inputs are deep-frozen, so any
 * mutation of a state throws).
 */
export class Harness {
  readonly model: BrokerModel;
  state: ExecutionState;
  readonly log: FedStep[] = [];
  constructor(
    readonly setup: Setup,
    readonly checks: ReadonlySet<Invariant> = ALL_INVARIANTS,
  ) {
    this.model = new BrokerModel(setup);
    const req = deepFreeze(setup.request);
    if (req.quote !== null) this.model.observe({ type: 'quote', time: req.decisionTime, quote: req.quote });
    const tr = startExecution(req, setup.settings);
    this.state = tr.state;
    this.record(null, null, tr);
  }
  get settings(): ExecutionSettings {
    return this.setup.settings;
  }

  feed(event: ExecutionEvent): readonly ExecutionAction[] {
    deepFreeze(event);
    this.model.observe(event, this.state.phase === 'done');
    const before = this.state;
    const snapshot = this.checks.has(9) ? structuredClone(before) : null;
    const tr = stepExecution(before, event, this.settings);
    if (snapshot !== null && !deepEqual(before, snapshot)) throw new Error('invariant 9: stepExecution mutated its input state');
    this.state = tr.state;
    this.record(before, event, tr);
    return tr.actions;
  }

  private record(before: ExecutionState | null, event: ExecutionEvent | null, tr: Transition): void {
    deepFreeze(tr);
    this.log.push({ event, transition: tr });
    checkTransition(this, before, event, tr);
  }

  /** Invariants 8 and 9 over the whole run (termination drive, deterministic replay). */
  finish(opts: DriveOptions = { confirmCancels: true, rejectSubmits: false, replaceReply: 'confirm' }): void {
    checkEnd(this, opts);
  }

  // Conveniences for example tests.
  quote(time: EpochMs, bid: Price, ask: Price, quoteTime: EpochMs = time): readonly ExecutionAction[] {
    return this.feed({ type: 'quote', time, quote: { time: quoteTime, bid, ask, bidSize: 100, askSize: 100 } });
  }
  fireTimer(): readonly ExecutionAction[] {
    const timer = this.state.timer;
    if (timer === null) throw new Error('no timer armed');
    return this.feed({ type: 'timer', id: timer.id, time: Math.max(this.model.now, timer.at) });
  }
  fill(clientOrderId: string, qty: Qty, price: Price, time = this.model.now): readonly ExecutionAction[] {
    return this.feed({ type: 'fill', time, clientOrderId, qty, price });
  }
  cancelled(clientOrderId: string, time = this.model.now): readonly ExecutionAction[] {
    return this.feed({ type: 'cancelled', time, clientOrderId });
  }
  rejected(clientOrderId: string, reason: string, time = this.model.now): readonly ExecutionAction[] {
    return this.feed({ type: 'rejected', time, clientOrderId, reason });
  }
  replaced(clientOrderId: string, newClientOrderId: string, qty: Qty, time = this.model.now): readonly ExecutionAction[] {
    return this.feed({ type: 'replaced', time, clientOrderId, newClientOrderId, qty });
  }
  replaceRejected(clientOrderId: string, newClientOrderId: string, reason: string, time = this.model.now): readonly ExecutionAction[] {
    return this.feed({ type: 'replace-rejected', time, clientOrderId, newClientOrderId, reason });
  }
  submits(): OrderOf[] {
    return this.log.flatMap((s) => s.transition.actions.flatMap((a) => (a.kind === 'submit' ? [a.order] : [])));
  }
  lastSubmit(): OrderOf {
    const all = this.submits();
    const last = all[all.length - 1];
    if (last === undefined) throw new Error('nothing submitted');
    return last;
  }
}
export type OrderOf = Extract<ExecutionAction, { kind: 'submit' }>['order'];
export type ReplaceOf = Extract<ExecutionAction, { kind: 'replace' }>;

export const deepEqual = isDeepStrictEqual;

export function timerOf(actions: readonly ExecutionAction[]): { id: string; at: EpochMs } | undefined {
  const t = actions.filter((a) => a.kind === 'set-timer').pop();
  return t?.kind === 'set-timer' ? { id: t.id, at: t.at } : undefined;
}
export const usd = (dollars: number): Price => Math.round(dollars * 10_000);
export const submitted = (actions: readonly ExecutionAction[]): OrderOf | undefined => actions.flatMap((a) => (a.kind === 'submit' ? [a.order] : []))[0];
export const replaceOf = (actions: readonly ExecutionAction[]): ReplaceOf | undefined => actions.flatMap((a) => (a.kind === 'replace' ? [a] : []))[0];
export const kinds = (actions: readonly ExecutionAction[]): string[] => actions.filter((a) => a.kind !== 'log').map((a) => a.kind);

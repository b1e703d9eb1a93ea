import type { ChildState, ExecutionAction, ExecutionEvent, ExecutionState, IgnoredEvent, Transition } from './types.js';
import type { EngineAlertCode } from '../alerts/alert.js';
import type { EpochMs } from '../units.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A working copy of the state plus the actions produced so far. Transitions edit the copy and
 * return it frozen into a Transition; the input state is never touched, which keeps `step` pure.
 */
export class Draft {
  readonly s: Mutable<ExecutionState>;
  readonly actions: ExecutionAction[] = [];
  private ignoredEvent: IgnoredEvent | null = null;

  constructor(state: ExecutionState) {
    this.s = { ...state };
  }

  log(event: string, detail: string): void {
    this.actions.push({ kind: 'log', event, detail });
  }

  alert(code: EngineAlertCode, detail: string): void {
    this.actions.push({ kind: 'alert', code, detail });
  }

  /** Arms the single timer; an earlier timer is superseded (its firing is ignored by id). */
  arm(at: EpochMs): void {
    const seq = this.s.timerSeq + 1;
    const id = `${this.s.executionId}:t${seq}`;
    this.s.timerSeq = seq;
    this.s.timer = { id, at };
    this.actions.push({ kind: 'set-timer', id, at });
  }

  updateChild(clientOrderId: string, patch: Partial<ChildState>): ChildState | null {
    const i = this.s.children.findIndex((c) => c.clientOrderId === clientOrderId);
    if (i < 0) return null;
    const next = { ...this.s.children[i]!, ...patch };
    const children = this.s.children.slice();
    children[i] = next;
    this.s.children = children;
    return next;
  }

  child(clientOrderId: string): ChildState | null {
    return this.s.children.find((c) => c.clientOrderId === clientOrderId) ?? null;
  }

  finish(at: EpochMs, reason: string | null): void {
    const s = this.s;
    // An empty or negative target is refused, never 'filled' (which would also drop the reason).
    const status = s.targetQty > 0 && s.filledQty >= s.targetQty ? 'filled' : s.filledQty > 0 ? 'partial' : 'failed';
    s.phase = 'done';
    s.timer = null;
    s.outcome = { status, reason: status === 'filled' ? null : reason, at };
    this.actions.push({ kind: 'finish', outcome: status, reason: s.outcome.reason });
  }

  /** Names an event the machine does not expect now: logged as `ignored`, and the state is left alone. */
  ignore(event: ExecutionEvent, reason: string): void {
    const phase = this.s.phase;
    this.ignoredEvent = { phase, event: event.type, reason };
    const order = 'clientOrderId' in event ? ` for ${event.clientOrderId}` : event.type === 'timer' ? ` ${event.id}` : '';
    this.log('ignored', `${event.type}${order} in phase ${phase}: ${reason}`);
  }

  done(): Transition {
    return this.ignoredEvent === null ? { state: this.s, actions: this.actions } : { state: this.s, actions: this.actions, ignored: this.ignoredEvent };
  }
}

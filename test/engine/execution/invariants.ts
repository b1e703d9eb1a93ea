/**
 * The DESIGN.md ladder invariants as executable checks. `checkTransition` runs after every
 * transition of a Harness (interleaved with the broker model taking in the actions, so a submit or
 * a replace is judged against what the broker knew at that moment); `checkEnd` runs once per
 * generated run. Each check restates the rule independently of the engine's own helpers where it
 * can. In replace mode the new child of a replace is judged as a submit would be (remaining
 * quantity, grid, marketability, guard, valid quote, schedule length), the replace itself only
 * for the one working schedule limit with no replacement pending, and the counts against the
 * slots the broker gave: a replacement it refused, or never swapped in because the old order
 * ended first, took none; a step the machine took by keeping its working child (the re-peg would
 * not have changed its price) counts as a step too. Invariant 11 is DESIGN's "no re-peg re-sends
 * the price of the order it replaces": no schedule limit has the price of the child before it, and
 * every timeout does what the re-peg rule of schedule-rule.ts demands (keep a child whose price
 * would not change).
 */
import { startExecution, stepExecution } from '../../../src/engine/execution/step.js';
import type { ExecutionEvent, ExecutionState, Transition } from '../../../src/engine/execution/types.js';
import { isOnTickGrid } from '../../../src/engine/tick.js';
import type { EpochMs } from '../../../src/engine/units.js';
import { ceilGrid, deepEqual, floorGrid, isLive, isTerminal, onGrid, usable, type Harness, type OrderOf, type ReplaceOf } from './harness.js';
import { expectedGuard, expectedNewChild, expectedTimeoutMove, ladderStep, ruleSaysFallback, stepPrice, type NewChild, type TimeoutMove } from './schedule-rule.js';

export type Invariant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11;
export const ALL_INVARIANTS: ReadonlySet<Invariant> = new Set<Invariant>([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
/** Steps the termination drive may take from any reachable state (invariant 8). */
export const TERMINATION_BOUND = 100;

class InvariantError extends Error {
  override readonly name = 'InvariantError';
}
function check(n: Invariant, ok: boolean, msg: () => string): void {
  if (!ok) throw new InvariantError(`invariant ${n}: ${msg()}`);
}

/**
 * Judges an order the machine sends, by a submit or as the new child of a replace, against what
 * the broker model knew just before (the model takes the action in only afterwards). `fallback`:
 * the schedule rule says a submit is the fallback order.
 */
function checkOrder(h: Harness, o: OrderOf, after: ExecutionState, t: EpochMs, via: 'submit' | 'replace', fallback: boolean): void {
  const m = h.model;
  const on = h.checks;
  const policy = h.settings.policy;
  const side = h.setup.request.side;
  const stepsUsed = m.stepsTaken();
  const schedule = o.type === 'limit' && !fallback;
  const guard = after.guard;

  if (on.has(2) && via === 'submit') {
    const open = m.children.filter((c) => !isTerminal(c.status) || c.awaitingReplace);
    check(2, open.length === 0, () => `submit ${o.clientOrderId} while ${open.map((c) => `${c.id} is ${c.status}${c.cancelRequested ? ' (cancel unconfirmed)' : ''}${c.awaitingReplace ? ' (replacement pending)' : ''}`).join(', ')}`);
  }
  if (on.has(3)) {
    check(3, m.slotted().length < policy.limitSteps + 1, () => `child #${m.slotted().length + 1} exceeds ${policy.limitSteps} limit steps + 1 fallback`);
    check(3, o.type === 'market' || schedule || (via === 'submit' && policy.fallback === 'limit-at-guard'), () => `limit child beyond the ${policy.limitSteps}-step schedule (${via})`);
    check(3, !schedule || stepsUsed < policy.limitSteps, () => `schedule limit after ${stepsUsed} of ${policy.limitSteps} steps (${via})`);
  }
  if (on.has(4)) {
    const remaining = m.target - m.countedFills();
    check(4, o.qty === remaining && o.qty === after.targetQty - after.filledQty && o.qty > 0, () => `${o.type} ${via} for ${o.qty}, remaining is ${remaining}`);
  }
  if (on.has(7)) {
    check(7, usable(m.latest, t, h.settings.maxQuoteAgeMs), () => `order sent (${via}) at ${t} from an invalid quote ${JSON.stringify(m.latest)}`);
    check(7, deepEqual(after.lastQuote, m.latest), () => `priced from ${JSON.stringify(after.lastQuote)}, newest is ${JSON.stringify(m.latest)}`);
  }
  if (on.has(6)) {
    const want = expectedGuard(h);
    check(6, guard === want, () => `guard ${guard}, configuration demands ${want}`);
    if (o.type === 'market') {
      check(6, policy.fallback === 'market', () => `market order with fallback "${policy.fallback}"`);
      // Either the schedule is used up, or the guard holds the next limit at the price already tried.
      check(6, via === 'submit' && ruleSaysFallback(h, t), () => `market order after ${stepsUsed} of ${policy.limitSteps} limit steps`);
    } else if (guard !== null) {
      const p = o.limitPrice ?? NaN;
      check(6, side === 'buy' ? p <= guard : p >= guard, () => `${side} limit ${p} beyond the guard ${guard}`);
    }
  }
  if (on.has(5) && o.type === 'limit') {
    const p = o.limitPrice ?? NaN;
    check(5, onGrid(p) && isOnTickGrid(p) && p > 0, () => `limit ${p} off the tick grid or not positive`);
    if (!schedule) {
      check(5, p === guard, () => `fallback limit ${p} is not the guard ${guard}`);
      return;
    }
    const q = m.latest!;
    // A replace re-prices the working child (a price it already has would have kept it instead);
    // a new child after one that ended goes one tick further when the step repeats its price.
    const want: NewChild = via === 'replace' ? { kind: 'limit', ...stepPrice(h, stepsUsed, q), nudged: false } : expectedNewChild(h, q);
    const raw = stepPrice(h, stepsUsed, q).raw;
    check(5, want.kind === 'limit' && p === want.price, () => `step ${stepsUsed} limit ${p} (${via}), expected ${want.kind === 'limit' ? want.price : 'the fallback'} (step price ${raw} from ${q.bid}x${q.ask}, guard ${guard}, previous ${m.lastWorked()?.limitPrice})`);
    const nudged = want.kind === 'limit' && want.nudged;
    const capped = want.kind === 'limit' && want.capped;
    const ladder = h.setup.kind === 'ladder' ? ladderStep(h, stepsUsed, q) : null;
    if (ladder?.mustBeMarketable === true) {
      check(5, (side === 'buy' ? p >= q.ask : p <= q.bid) || (capped && p === guard), () => `limit ${p} not marketable against ${q.bid}x${q.ask}`);
    } else {
      // Inside: from the near side to the far side (a ladder's tick steps may reach its marketable price).
      const far = ladder?.marketable ?? (side === 'buy' ? ceilGrid(q.ask) : floorGrid(q.bid));
      const inside = side === 'buy' ? p >= q.bid && p <= far : p <= q.ask && p >= far;
      check(5, inside || nudged || (capped && p === guard), () => `limit ${p} outside ${q.bid}x${q.ask}`);
    }
  }
  if (on.has(11) && schedule) {
    // DESIGN: no re-peg re-sends the price of the order it replaces (here: of the child before it).
    const previous = via === 'replace' ? m.working() : m.lastWorked();
    check(11, previous === undefined || previous.limitPrice !== o.limitPrice, () => `${via} ${o.clientOrderId} at ${o.limitPrice}, the price of ${previous?.id}, the child before it`);
  }
}

/** What a timeout of the working child did, read off the transition. */
function timeoutMoveOf(tr: Transition, before: ExecutionState): TimeoutMove | 'other' {
  const acts = tr.actions.map((a) => a.kind);
  if (acts.includes('replace')) return 'replace';
  if (acts.includes('cancel')) return 'cancel';
  if (acts.includes('submit') || acts.includes('finish') || tr.state.phase !== 'working') return 'other';
  return tr.state.usedFallback && !before.usedFallback ? 'hold-as-fallback' : 'keep';
}

/** A replace: only in replace mode, for the one working schedule limit, with no replacement pending. */
function checkReplace(h: Harness, a: ReplaceOf, after: ExecutionState, t: EpochMs): void {
  const m = h.model;
  if (h.checks.has(2)) {
    const live = m.children.filter(isLive);
    const old = m.child(a.clientOrderId);
    const pending = m.awaiting();
    check(2, live.length === 1 && live[0] === old, () => `replace of ${a.clientOrderId} while live: [${live.map((c) => c.id).join(', ')}]`);
    check(2, old !== undefined && old.type === 'limit' && old.step >= 0 && !old.fallback && !old.cancelRequested, () => `replace of ${a.clientOrderId}, which is not a working schedule limit (${JSON.stringify(old)})`);
    check(2, pending === undefined, () => `replace while ${pending?.id} is still pending`);
    check(2, a.order.clientOrderId !== a.clientOrderId && m.child(a.order.clientOrderId) === undefined, () => `replacement id ${a.order.clientOrderId} is not new`);
  }
  if (h.checks.has(3)) {
    check(3, h.setup.kind === 'ladder' && h.setup.params.repegMode === 'replace', () => `replace with repegMode ${h.setup.kind === 'ladder' ? h.setup.params.repegMode : `n/a (${h.setup.kind})`}`);
    check(3, a.order.type === 'limit', () => `replace into a ${a.order.type} order`);
  }
  checkOrder(h, a.order, after, t, 'replace', false);
}

/** Runs after each transition: judges each action, feeds it to the broker model, then the state. */
export function checkTransition(h: Harness, before: ExecutionState | null, event: ExecutionEvent | null, tr: Transition): void {
  const m = h.model;
  const on = h.checks;
  const s = tr.state;
  const t = event?.time ?? h.setup.request.decisionTime;
  const policy = h.settings.policy;
  const target = h.setup.request.qty;
  let finishes = 0;
  // A timeout of the working child: what the re-peg rule demands, judged before the model moves on.
  const timedOut = event?.type === 'timer' && before !== null && before.phase === 'working' && event.id === before.timer?.id ? m.working() : undefined;
  const demanded = timedOut === undefined ? null : expectedTimeoutMove(h, timedOut, t);
  for (const a of tr.actions) {
    const fallback = a.kind === 'submit' && (a.order.type === 'market' || ruleSaysFallback(h, t));
    if (a.kind === 'submit') checkOrder(h, a.order, s, t, 'submit', fallback);
    if (a.kind === 'replace') checkReplace(h, a, s, t);
    if (a.kind === 'cancel' && on.has(2)) {
      const c = m.child(a.clientOrderId);
      check(2, c !== undefined && isLive(c) && !c.cancelRequested && m.awaiting() === undefined, () => `cancel of ${a.clientOrderId}, which is ${c?.status}${c?.cancelRequested ? ' and already being cancelled' : ''}${m.awaiting() ? ' with a replacement pending' : ''}`);
    }
    if (a.kind === 'finish') {
      finishes += 1;
      if (on.has(10)) check(10, s.outcome !== null && a.outcome === s.outcome.status && a.reason === s.outcome.reason, () => `finish action ${a.outcome}/${a.reason} disagrees with the state`);
    }
    m.apply(a, fallback);
  }
  if (timedOut !== undefined && before !== null) {
    const did = timeoutMoveOf(tr, before);
    if (on.has(11)) check(11, did === demanded, () => `timeout of ${timedOut.id} at ${timedOut.limitPrice}: the machine did "${did}", the re-peg rule demands "${demanded}" (quote ${JSON.stringify(m.latest)}, guard ${expectedGuard(h)}, step ${m.stepsTaken()})`);
    // The broker never sees a kept step: count it here, as the machine must.
    if (did === 'keep') m.keptSteps += 1;
    if (did === 'hold-as-fallback') timedOut.fallback = true;
  }

  if (on.has(1)) {
    const counted = s.children.reduce((sum, c) => sum + c.filledQty, 0);
    check(1, Number.isSafeInteger(s.filledQty) && s.filledQty >= 0 && s.filledQty <= Math.max(0, target), () => `filledQty ${s.filledQty} vs target ${target}`);
    check(1, counted === s.filledQty, () => `children filled ${counted} != filledQty ${s.filledQty}`);
    check(1, m.countedFills() <= Math.max(0, target), () => `the broker filled ${m.countedFills()} > target ${target}`);
    check(1, before === null || s.filledQty >= before.filledQty, () => `filledQty went down`);
    check(1, s.phase === 'done' ? s.filledQty <= m.countedFills() : s.filledQty === m.countedFills(), () => `machine counts ${s.filledQty}, broker reports ${m.countedFills()}`);
  }
  if (on.has(2)) {
    const live = m.children.filter(isLive);
    const pending = m.children.filter((c) => c.awaitingReplace);
    check(2, live.length <= 1 && pending.length <= 1, () => `${live.length} children live, ${pending.length} replacements pending`);
    if (s.phase !== 'done') {
      // A child becomes live only by a submit (judged above: nothing else open) or by a replace
      // the broker swapped in; the machine must agree with the broker on which, and on what ended.
      check(2, s.liveChild === (live[0]?.id ?? null), () => `liveChild ${s.liveChild}, broker has ${live[0]?.id}`);
      check(2, s.pendingReplacement === (pending[0]?.id ?? null), () => `pendingReplacement ${s.pendingReplacement}, broker has ${pending[0]?.id}`);
      check(2, (s.phase === 'replacing') === (pending.length === 1), () => `phase ${s.phase} with ${pending.length} replacements pending`);
      const ended = (id: string) => {
        const mine = s.children.find((x) => x.clientOrderId === id);
        return mine === undefined ? null : isTerminal(mine.status);
      };
      const differ = m.children.filter((c) => ended(c.id) !== isTerminal(c.status));
      check(2, differ.length === 0, () => `the machine and the broker disagree on which children ended: ${differ.map((c) => `${c.id} is ${c.status}`).join(', ')}`);
    }
    if (s.phase === 'cancelling') check(2, live[0]?.cancelRequested === true, () => `cancelling without a cancel sent`);
    if (s.phase === 'replacing') check(2, live[0] !== undefined && live[0].replacement === pending[0]?.id, () => `replacing without a replace sent for the live child`);
  }
  if (on.has(3)) {
    const maxRepegs = h.setup.kind === 'ladder' ? h.setup.params.maxRepegs : Math.max(0, policy.limitSteps - 1);
    const limits = m.stepsTaken();
    check(3, s.repegs <= maxRepegs && s.limitChildren <= policy.limitSteps && limits <= policy.limitSteps, () => `repegs ${s.repegs} / limit children ${s.limitChildren} over max ${maxRepegs}`);
    if (h.setup.kind === 'ladder') check(3, limits <= 1 + h.setup.params.maxRepegs, () => `${limits} limit children > 1 + maxRepegs`);
    // Once done the machine is frozen, while the broker may still answer an unconfirmed replace.
    if (before?.phase !== 'done') check(3, s.repegs === Math.max(0, limits - 1) && s.limitChildren === limits, () => `repegs ${s.repegs} / limit children ${s.limitChildren} for ${limits} schedule steps (slots at the broker + ${m.keptSteps} kept)`);
    // What reached the market: submitted schedule limits plus replacements the broker swapped in.
    const reached = m.children.filter((c) => c.step >= 0 && !c.refused && !c.awaitingReplace).length;
    check(3, reached <= policy.limitSteps, () => `${reached} limit children reached the broker, schedule has ${policy.limitSteps}`);
  }
  if (on.has(4) && event?.type === 'replaced' && s.liveChild === event.newClientOrderId && before?.liveChild !== s.liveChild) {
    const c = s.children.find((x) => x.clientOrderId === event.newClientOrderId);
    check(4, c !== undefined && c.qty - c.filledQty <= s.targetQty - s.filledQty && c.qty <= event.qty, () => `replacement ${event.newClientOrderId} works ${c?.qty} (filled ${c?.filledQty}) for ${s.targetQty - s.filledQty} remaining, broker reported ${event.qty}`);
  }
  if (on.has(8)) {
    check(8, s.phase === 'done' || s.timer !== null, () => `phase ${s.phase} with no timer armed`);
    if (event?.type === 'timer' && before !== null && event.id !== before.timer?.id) {
      // A superseded timer changes nothing; one never armed is also named in the decision log (ignored).
      const named = tr.ignored !== undefined && tr.actions.length === 1 && tr.actions[0]!.kind === 'log' && tr.actions[0]!.event === 'ignored';
      check(8, (tr.actions.length === 0 || named) && deepEqual(s, before), () => `superseded timer ${event.id} was acted on`);
    }
    if (s.timer !== null && s.timer !== before?.timer) {
      const set = tr.actions.filter((a) => a.kind === 'set-timer').pop();
      check(8, set?.kind === 'set-timer' && set.id === s.timer.id && set.at === s.timer.at, () => `timer changed without a set-timer action`);
    }
  }
  if (on.has(10)) {
    const wasDone = before?.phase === 'done';
    check(10, finishes === (s.phase === 'done' && !wasDone ? 1 : 0) && m.finishes === (s.phase === 'done' ? 1 : 0), () => `${finishes} finish actions (total ${m.finishes}) entering phase ${s.phase}`);
    if (s.phase !== 'done') check(10, s.outcome === null, () => `outcome set while ${s.phase}`);
    else {
      const o = s.outcome;
      check(10, o !== null, () => 'done without an outcome');
      if (o !== null) {
        check(10, (o.status === 'filled') === (target > 0 && s.filledQty === target), () => `outcome ${o.status} with ${s.filledQty} of ${target}`);
        check(10, (o.status === 'failed') === (s.filledQty === 0) && (o.status === 'partial') === (s.filledQty > 0 && s.filledQty < target), () => `outcome ${o.status} with ${s.filledQty} of ${target}`);
        check(10, o.status === 'filled' ? o.reason === null : typeof o.reason === 'string' && o.reason.trim() !== '', () => `outcome ${o.status} with reason ${o.reason}`);
      }
    }
  }
}

export interface DriveOptions {
  readonly confirmCancels: boolean;
  readonly rejectSubmits: boolean;
  /** How the broker answers a replace during the drive: swap it in, refuse it, or stay silent. */
  readonly replaceReply: 'confirm' | 'reject' | 'none';
}

/**
 * Invariant 8: from the current state, only the armed timer fires (plus the broker confirming the
 * cancels, rejecting the submits, and confirming or refusing the replaces it is asked for); the machine must reach 'done' in at most
 * TERMINATION_BOUND steps. Invariant 9: replaying the logged events gives deep-equal outputs.
 */
export function checkEnd(h: Harness, opts: DriveOptions): void {
  if (h.checks.has(9)) {
    const first = startExecution(h.setup.request, h.settings);
    let state = first.state;
    h.log.forEach((step, i) => {
      const tr = step.event === null ? first : stepExecution(state, step.event, h.settings);
      check(9, deepEqual(tr, step.transition), () => `replay differs at step ${i}`);
      state = tr.state;
    });
  }
  if (!h.checks.has(8)) return;
  const replies: ExecutionEvent[] = [];
  for (let steps = 0; h.state.phase !== 'done'; steps++) {
    check(8, steps < TERMINATION_BOUND, () => `not done after ${TERMINATION_BOUND} steps (phase ${h.state.phase})`);
    let next = replies.shift();
    if (next === undefined) {
      const timer = h.state.timer;
      check(8, timer !== null, () => `phase ${h.state.phase} with no timer armed`);
      next = { type: 'timer', id: timer!.id, time: Math.max(h.model.now, timer!.at) };
    }
    for (const a of h.feed(next)) {
      const time = h.model.now;
      if (a.kind === 'cancel' && opts.confirmCancels) replies.push({ type: 'cancelled', time, clientOrderId: a.clientOrderId });
      if (a.kind === 'submit' && opts.rejectSubmits) replies.push({ type: 'rejected', time, clientOrderId: a.order.clientOrderId, reason: 'drive: rejected' });
      if (a.kind === 'replace' && opts.replaceReply !== 'none') {
        const old = h.model.child(a.clientOrderId);
        const newClientOrderId = a.order.clientOrderId;
        if (opts.replaceReply === 'reject') replies.push({ type: 'replace-rejected', time, clientOrderId: a.clientOrderId, newClientOrderId, reason: 'drive: refused' });
        else replies.push({ type: 'replaced', time, clientOrderId: a.clientOrderId, newClientOrderId, qty: Math.min(a.order.qty, old === undefined ? a.order.qty : old.qty - old.filled) });
      }
    }
  }
}

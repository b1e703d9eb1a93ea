/**
 * fast-check model-based commands, adversarial set: anything, for any id, at any moment: quotes
 * with any prices and ages, fills of any quantity (over-fills included, for the old order and its
 * replacement alike), acks, cancels, rejects, cancel-rejects, replaced and replace-rejected reports
 * for any pair of ids with any quantity, and timers early, late, superseded or unknown; mixed with
 * the realistic set.
 */
import fc from 'fast-check';
import type { ExecutionEvent } from '../../../src/engine/execution/types.js';
import type { EpochMs } from '../../../src/engine/units.js';
import { dtArb, EventCmd, quoteCmd, realisticCommands, type Cmd } from './commands.js';
import { setupArb, SHARE, type BrokerModel, type Setup } from './harness.js';

/** Any id: a submitted child, a made-up child of this execution, or junk. */
function pickId(m: Readonly<BrokerModel>, i: number): string {
  const ids = [...m.children.map((c) => c.id), 'x1:99', 'x1:0', 'someone-else'];
  return ids[i % ids.length]!;
}

const anyQuoteCmd = fc
  .tuple(fc.integer({ min: -10, max: 3_000_000 }), fc.integer({ min: -10, max: 3_000_000 }), fc.integer({ min: -20_000, max: 20_000 }), dtArb)
  .map(
    ([bid, ask, age, dt]) =>
      new EventCmd(`anyQuote(${bid}x${ask},age ${age})`, () => true, (m) => ({ type: 'quote', time: m.now + dt, quote: { time: m.now + dt - age, bid, ask, bidSize: 1, askSize: 1 } })),
  );

const anyFillCmd = fc
  .tuple(fc.nat(), fc.oneof(fc.integer({ min: -1_000, max: 0 }), fc.integer({ min: 1, max: 5_000_000_000_000 }), fc.constant(1)), fc.integer({ min: 1, max: 3_000_000 }), dtArb)
  .map(([i, qty, price, dt]) => new EventCmd(`anyFill(#${i},${qty})`, () => true, (m) => ({ type: 'fill', time: m.now + dt, clientOrderId: pickId(m, i), qty, price })));

/** A fill for the whole remaining of the child plus a bit more (over-fill). */
const overFillCmd = fc
  .tuple(fc.nat(), fc.integer({ min: 0, max: 1_000_000_000 }), dtArb)
  .map(([i, extra, dt]) => new EventCmd(`overFill(#${i},+${extra})`, (m) => m.children.length > 0, (m) => {
    const c = m.children[i % m.children.length]!;
    return { type: 'fill', time: m.now + dt, clientOrderId: c.id, qty: c.qty - c.filled + extra, price: 10_000 };
  }));

const anyReportCmd = fc
  .tuple(fc.constantFrom('accepted', 'cancelled', 'rejected', 'cancel-rejected'), fc.nat(), dtArb)
  .map(
    ([type, i, dt]) =>
      new EventCmd(`${type}(#${i})`, () => true, (m): ExecutionEvent => {
        const time = m.now + dt;
        const clientOrderId = pickId(m, i);
        if (type === 'accepted' || type === 'cancelled') return { type, time, clientOrderId };
        return { type, time, clientOrderId, reason: 'adversary' };
      }),
  );

/**
 * replaced / replace-rejected for any pair of ids (the real pair often, so that stale or
 * duplicate answers also happen), reporting any quantity: none, negative, less or more than asked.
 */
const anyReplaceReportCmd = fc
  .tuple(fc.boolean(), fc.nat(), fc.nat(), fc.constantFrom('pair', 'pair', 'old', 'new', 'any'), fc.oneof(fc.integer({ min: -1_000, max: 0 }), fc.integer({ min: 1, max: 5_000_000_000_000 }), fc.integer({ min: -3, max: 3 })), dtArb)
  .map(
    ([replaced, i, j, ids, q, dt]) =>
      new EventCmd(`${replaced ? 'replaced' : 'replace-rejected'}(#${i},#${j},${ids},${q})`, () => true, (m): ExecutionEvent => {
        const time = m.now + dt;
        // A real (old, new) pair, or one side of it with the other any id, or any two ids.
        const withReplace = m.children.filter((c) => c.replacement !== null);
        const pair = withReplace.length > 0 ? withReplace[i % withReplace.length]! : null;
        const clientOrderId = pair !== null && (ids === 'pair' || ids === 'old') ? pair.id : pickId(m, i);
        const newClientOrderId = pair?.replacement != null && (ids === 'pair' || ids === 'new') ? pair.replacement : pickId(m, j);
        // Small q: an offset from what the replacement asked for; otherwise the number itself.
        const asked = m.child(newClientOrderId)?.qty ?? 0;
        const qty = Math.abs(q) <= 3 ? asked + q : q;
        return replaced ? { type: 'replaced', time, clientOrderId, newClientOrderId, qty } : { type: 'replace-rejected', time, clientOrderId, newClientOrderId, reason: 'adversary' };
      }),
  );

/** While a replace is pending: an answer naming the wrong old order, or the wrong replacement. */
const skewedReplaceAnswerCmd = fc
  .tuple(fc.boolean(), fc.boolean(), fc.nat(), dtArb)
  .map(
    ([replaced, wrongOld, i, dt]) =>
      new EventCmd(`skewed-${replaced ? 'replaced' : 'replace-rejected'}(wrong ${wrongOld ? 'old' : 'new'},#${i})`, (m) => m.awaiting() !== undefined, (m): ExecutionEvent => {
        const next = m.awaiting()!;
        const old = m.children.find((c) => c.replacement === next.id)!;
        const others = [...m.children.map((c) => c.id), 'x1:99'].filter((id) => id !== (wrongOld ? old.id : next.id));
        const wrong = others[i % others.length]!;
        const [clientOrderId, newClientOrderId] = wrongOld ? [wrong, next.id] : [old.id, wrong];
        const time = m.now + dt;
        return replaced ? { type: 'replaced', time, clientOrderId, newClientOrderId, qty: next.qty } : { type: 'replace-rejected', time, clientOrderId, newClientOrderId, reason: 'adversary' };
      }),
  );

/** Timers: the armed id when due or early, superseded ids, unknown ids. */
const anyTimerCmd = fc
  .tuple(fc.constantFrom('due', 'early', 'stale', 'unknown'), fc.nat(), dtArb)
  .map(
    ([mode, i, dt]) =>
      new EventCmd(`timer(${mode},#${i},+${dt})`, () => true, (m, h): ExecutionEvent => {
        const armed = h.state.timer;
        const time: EpochMs = m.now + dt;
        if (mode === 'due' && armed !== null) return { type: 'timer', id: armed.id, time: Math.max(m.now, armed.at) };
        if (mode === 'early' && armed !== null) return { type: 'timer', id: armed.id, time: Math.min(time, Math.max(m.now, armed.at - 1)) };
        if (mode === 'stale' && m.timerIds.length > 0) return { type: 'timer', id: m.timerIds[i % m.timerIds.length]!, time };
        return { type: 'timer', id: `x1:t${i}`, time };
      }),
  );

export const adversarialCommands: fc.Arbitrary<Cmd>[] = [
  anyQuoteCmd,
  quoteCmd,
  quoteCmd,
  anyFillCmd,
  overFillCmd,
  anyReportCmd,
  anyReportCmd,
  anyReplaceReportCmd,
  anyReplaceReportCmd,
  skewedReplaceAnswerCmd,
  anyTimerCmd,
  anyTimerCmd,
  ...realisticCommands,
];

/** Scenarios for the adversarial runs: also empty and negative quantities. */
export const adversarialSetupArb: fc.Arbitrary<Setup> = fc
  .tuple(setupArb, fc.option(fc.constantFrom(0, -SHARE), { freq: 20 }))
  .map(([s, qty]) => (qty === null ? s : { ...s, request: { ...s.request, qty } }));

/**
 * fast-check model-based commands, realistic set: only reports a real broker could send for the
 * orders the machine actually submitted (acks, partial and full fills never above the child's
 * remaining quantity, rejects of unacknowledged orders, cancel confirmations or rejections of
 * requested cancels, fills racing a cancel; for a replace, Alpaca's semantics: the old order keeps
 * filling until the broker swaps the replacement in or refuses it, and a fill that completes the
 * old order is followed by the refusal) plus quotes of every kind and timers (the armed one when
 * due, and superseded ids). The adversarial set is in adversarial-commands.ts.
 */
import fc from 'fast-check';
import type { ExecutionEvent } from '../../../src/engine/execution/types.js';
import type { EpochMs } from '../../../src/engine/units.js';
import { buildQuote, Harness, isLive, quoteSpecArb, type BrokerChild, type BrokerModel, type QuoteSpec } from './harness.js';

export type Cmd = fc.Command<BrokerModel, Harness>;

/** Milliseconds between events: mostly quick, sometimes seconds, rarely minutes. */
export const dtArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 1_500 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1_500, max: 8_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 120_000 }) },
);

/** A command that builds its event (or a burst of events) from the model when it runs. */
export class EventCmd implements Cmd {
  constructor(
    private readonly name: string,
    private readonly applies: (m: Readonly<BrokerModel>, h: Harness | null) => boolean,
    private readonly make: (m: BrokerModel, h: Harness) => ExecutionEvent | readonly ExecutionEvent[],
  ) {}
  check(m: Readonly<BrokerModel>): boolean {
    return this.applies(m, null);
  }
  run(m: BrokerModel, h: Harness): void {
    if (!this.applies(m, h)) return; // the armed timer is only known to the real side
    const made = this.make(m, h);
    for (const e of Array.isArray(made) ? made : [made]) h.feed(e);
  }
  toString(): string {
    return this.name;
  }
}

const working = (m: Readonly<BrokerModel>): BrokerChild | undefined => m.children.find(isLive);
/** The working child whose replace the broker has not answered yet. */
const replacing = (m: Readonly<BrokerModel>): BrokerChild | undefined => m.children.find((c) => isLive(c) && c.replacement !== null && !c.replaceAnswered);
/** The newest child whose replace the broker has not answered yet, working or already ended. */
const unanswered = (m: Readonly<BrokerModel>): BrokerChild | undefined => m.children.filter((c) => c.replacement !== null && !c.replaceAnswered).pop();
/** Alpaca's replaced report: the new order works what the old one had left. */
function replacedEvent(m: BrokerModel, old: BrokerChild, time: EpochMs): ExecutionEvent {
  const next = m.child(old.replacement!)!;
  return { type: 'replaced', time, clientOrderId: old.id, newClientOrderId: next.id, qty: Math.min(next.qty, old.qty - old.filled) };
}
function replaceRejectedEvent(old: BrokerChild, time: EpochMs): ExecutionEvent {
  const reason = old.status === 'filled' ? 'order already filled' : isLive(old) ? 'order is not replaceable' : `order ${old.status}`;
  return { type: 'replace-rejected', time, clientOrderId: old.id, newClientOrderId: old.replacement!, reason };
}
const fillPrice = (m: BrokerModel, c: BrokerChild): number => c.limitPrice ?? (m.latest !== null && m.latest.ask > 0 ? m.latest.ask : m.ref);

export const quoteCmd = fc.tuple(quoteSpecArb, dtArb).map(
  ([spec, dt]: [QuoteSpec, number]) =>
    new EventCmd(`quote(${spec.kind},+${dt}ms)`, () => true, (m, h) => {
      const time = m.now + dt;
      return { type: 'quote', time, quote: buildQuote(spec, m, time, h.settings.maxQuoteAgeMs) };
    }),
);

const ackCmd = dtArb.map(
  (dt) =>
    new EventCmd(`ack(+${dt})`, (m) => working(m)?.status === 'pending', (m) => ({ type: 'accepted', time: m.now + dt, clientOrderId: working(m)!.id })),
);

const partialFillCmd = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), dtArb).map(
  ([f, dt]) =>
    new EventCmd(
      `partialFill(${f.toFixed(3)},+${dt})`,
      (m) => {
        const c = working(m);
        return c !== undefined && c.qty - c.filled >= 2;
      },
      (m) => {
        const c = working(m)!;
        const room = c.qty - c.filled;
        const qty = Math.min(room - 1, 1 + Math.floor(f * (room - 1)));
        return { type: 'fill', time: m.now + dt, clientOrderId: c.id, qty, price: fillPrice(m, c) };
      },
    ),
);

const fullFillCmd = fc.tuple(dtArb, fc.integer({ min: 0, max: 500 })).map(
  ([dt, lag]) =>
    new EventCmd(`fullFill(+${dt})`, (m) => working(m) !== undefined, (m) => {
      const c = working(m)!;
      return { type: 'fill', time: m.now + dt, clientOrderId: c.id, qty: c.qty - c.filled, price: fillPrice(m, c), executedAt: Math.max(0, m.now + dt - lag) };
    }),
);

const rejectCmd = fc.tuple(dtArb, fc.constantFrom('insufficient buying power', 'sub-penny increment', 'market closed')).map(
  ([dt, reason]) =>
    new EventCmd(
      `reject(${reason})`,
      (m) => working(m)?.status === 'pending' && working(m)?.filled === 0,
      (m) => ({ type: 'rejected', time: m.now + dt, clientOrderId: working(m)!.id, reason }),
    ),
);

const cancelConfirmCmd = dtArb.map(
  (dt) => new EventCmd(`cancelConfirm(+${dt})`, (m) => working(m)?.cancelRequested === true, (m) => ({ type: 'cancelled', time: m.now + dt, clientOrderId: working(m)!.id })),
);

/** The broker refuses a requested cancel: the order is (being) filled, or is still working. */
const cancelRejectCmd = dtArb.map(
  (dt) =>
    new EventCmd(
      `cancelReject(+${dt})`,
      (m) => m.children.some((c) => c.cancelRequested && !c.cancelRejected && (c.status === 'filled' || isLive(c))),
      (m) => {
        const c = m.children.find((x) => x.cancelRequested && !x.cancelRejected && (x.status === 'filled' || isLive(x)))!;
        return { type: 'cancel-rejected', time: m.now + dt, clientOrderId: c.id, reason: c.status === 'filled' ? 'order already filled' : 'order is pending' };
      },
    ),
);

/** The broker ends an order on its own (expiry, risk check) without a cancel request. */
const unsolicitedCancelCmd = dtArb.map(
  (dt) =>
    new EventCmd(
      `unsolicitedCancel(+${dt})`,
      (m) => working(m)?.status === 'accepted' && working(m)?.cancelRequested === false,
      (m) => ({ type: 'cancelled', time: m.now + dt, clientOrderId: working(m)!.id }),
    ),
);

/**
 * The armed timer fires when due (possibly a little late). A broker mostly answers a replace
 * well within the confirmation deadline, so that deadline usually does not pass first.
 */
const armedTimerCmd = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3 })).map(
  ([late, patience]) =>
    new EventCmd(
      `armedTimer(+${late}${patience > 0 ? '' : ',impatient'})`,
      (m, h) => (h === null ? m.timerIds.length > 0 : h.state.timer !== null && (h.state.phase !== 'replacing' || patience === 0)),
      (m, h) => ({ type: 'timer', id: h.state.timer!.id, time: Math.max(m.now, h.state.timer!.at + late) }),
    ),
);

/** The armed timer fires right after a fresh valid quote (quotes stream all the time): a re-peg can price at once. */
const freshQuoteThenTimerCmd = fc.tuple(quoteSpecArb, fc.integer({ min: 0, max: 50 })).map(
  ([spec, late]) =>
    new EventCmd(
      `freshQuoteThenTimer(+${late})`,
      (m, h) => (h === null ? m.timerIds.length > 0 : h.state.timer !== null),
      (m, h): ExecutionEvent[] => {
        const timer = h.state.timer!;
        const time = Math.max(m.now, timer.at + late);
        const quote = buildQuote({ ...spec, kind: 'valid', lagMs: 0 }, m, time, h.settings.maxQuoteAgeMs);
        return [{ type: 'quote', time, quote }, { type: 'timer', id: timer.id, time }];
      },
    ),
);

/**
 * The newest quote again, re-stamped (real tapes repeat identical snapshots all the time); its
 * time moves on by dt, so it is fresh when the original was valid. Before any quote, a valid one.
 */
const repeatQuoteCmd = fc.tuple(quoteSpecArb, dtArb).map(
  ([spec, dt]) =>
    new EventCmd(`repeatQuote(+${dt}ms)`, () => true, (m, h): ExecutionEvent => {
      const time = m.now + dt;
      const q = m.latest;
      return { type: 'quote', time, quote: q === null ? buildQuote({ ...spec, kind: 'valid', lagMs: 0 }, m, time, h.settings.maxQuoteAgeMs) : { ...q, time } };
    }),
);

/** The armed timer fires right after the newest quote is repeated: a re-peg that would not change the price. */
const repeatQuoteThenTimerCmd = fc.integer({ min: 0, max: 50 }).map(
  (late) =>
    new EventCmd(
      `repeatQuoteThenTimer(+${late})`,
      (m, h) => (h === null ? m.timerIds.length > 0 && m.latest !== null : h.state.timer !== null && m.latest !== null),
      (m, h): ExecutionEvent[] => {
        const timer = h.state.timer!;
        const time = Math.max(m.now, timer.at + late);
        return [{ type: 'quote', time, quote: { ...m.latest!, time } }, { type: 'timer', id: timer.id, time }];
      },
    ),
);

/** A superseded timer id fires (a driver that could not cancel it): it must be ignored. */
const staleTimerCmd = fc.tuple(fc.nat(), dtArb).map(
  ([i, dt]) =>
    new EventCmd(
      `staleTimer(#${i},+${dt})`,
      (m, h) => m.timerIds.some((id) => h === null || id !== h.state.timer?.id),
      (m, h) => {
        const stale = m.timerIds.filter((id) => id !== h.state.timer?.id);
        return { type: 'timer', id: stale[i % stale.length]!, time: m.now + dt };
      },
    ),
);

// ---------------------------------------------------------------- replace (Alpaca semantics)

/** The broker swaps the pending replacement in, for what the old order has left. */
const replacedCmd = dtArb.map((dt) => new EventCmd(`replaced(+${dt})`, (m) => replacing(m) !== undefined, (m) => replacedEvent(m, replacing(m)!, m.now + dt)));

/** The broker refuses the pending replace (the old order may have ended meanwhile). */
const replaceRejectedCmd = dtArb.map((dt) => new EventCmd(`replaceRejected(+${dt})`, (m) => unanswered(m) !== undefined, (m) => replaceRejectedEvent(unanswered(m)!, m.now + dt)));

/** The race: the old order fills (partly or completely) before the broker gets to the replace. */
const fillDuringReplaceCmd = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), dtArb).map(
  ([f, dt]) =>
    new EventCmd(`fillDuringReplace(${f.toFixed(2)},+${dt})`, (m) => replacing(m) !== undefined, (m): ExecutionEvent => {
      const c = replacing(m)!;
      const room = c.qty - c.filled;
      const qty = f > 0.6 || room < 2 ? room : Math.max(1, Math.floor(room * f));
      return { type: 'fill', time: m.now + dt, clientOrderId: c.id, qty, price: fillPrice(m, c) };
    }),
);

/** The realistic race in full: the old order fills completely, then the replace is refused. */
const filledThenReplaceRejectedCmd = fc.tuple(dtArb, fc.integer({ min: 0, max: 500 })).map(
  ([dt, gap]) =>
    new EventCmd(`filledThenReplaceRejected(+${dt},+${gap})`, (m) => replacing(m) !== undefined, (m): ExecutionEvent[] => {
      const c = replacing(m)!;
      const time = m.now + dt;
      return [{ type: 'fill', time, clientOrderId: c.id, qty: c.qty - c.filled, price: fillPrice(m, c) }, replaceRejectedEvent({ ...c, status: 'filled' }, time + gap)];
    }),
);

/**
 * The broker's most likely next report for the working child: an ack, fills (partial or the
 * rest), for a requested cancel its confirmation, a fill that beat it, or a refusal, and for a
 * requested replace the swap, a refusal, or a fill of the old order.
 */
const brokerReactsCmd = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 800 })).map(
  ([r, dt]) =>
    new EventCmd(`brokerReacts(${r.toFixed(2)},+${dt})`, (m) => working(m) !== undefined, (m): ExecutionEvent => {
      const c = working(m)!;
      const time = m.now + dt;
      const room = c.qty - c.filled;
      const partial = Math.max(1, Math.min(room - 1, Math.floor(room * r)));
      const fill = (qty: number): ExecutionEvent => ({ type: 'fill', time, clientOrderId: c.id, qty, price: fillPrice(m, c) });
      if (c.replacement !== null && !c.replaceAnswered) {
        if (r < 0.4) return replacedEvent(m, c, time);
        if (r < 0.55) return replaceRejectedEvent(c, time);
        return fill(r < 0.85 && room >= 2 ? partial : room); // the old order still fills meanwhile
      }
      if (c.cancelRequested) {
        if (r < 0.6) return { type: 'cancelled', time, clientOrderId: c.id };
        if (r < 0.75 && !c.cancelRejected) return { type: 'cancel-rejected', time, clientOrderId: c.id, reason: 'order is pending' };
        return fill(r < 0.9 && room >= 2 ? partial : room); // the fill that raced the cancel
      }
      if (c.status === 'pending' && r < 0.7) return { type: 'accepted', time, clientOrderId: c.id };
      return fill(r < 0.85 && room >= 2 ? partial : room);
    }),
);

export const realisticCommands: fc.Arbitrary<Cmd>[] = [
  ...Array<typeof quoteCmd>(5).fill(quoteCmd),
  ...Array<typeof brokerReactsCmd>(4).fill(brokerReactsCmd),
  ackCmd,
  partialFillCmd,
  partialFillCmd,
  fullFillCmd,
  rejectCmd,
  cancelConfirmCmd,
  cancelConfirmCmd,
  cancelRejectCmd,
  unsolicitedCancelCmd,
  armedTimerCmd,
  armedTimerCmd,
  armedTimerCmd,
  armedTimerCmd,
  staleTimerCmd,
  freshQuoteThenTimerCmd,
  freshQuoteThenTimerCmd,
  repeatQuoteCmd,
  repeatQuoteThenTimerCmd,
  repeatQuoteThenTimerCmd,
  replacedCmd,
  replacedCmd,
  replaceRejectedCmd,
  fillDuringReplaceCmd,
  filledThenReplaceRejectedCmd,
];


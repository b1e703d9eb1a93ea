/**
 * fast-check model-based commands. The realistic set only produces reports a real broker could
 * send for the orders the machine actually submitted (acks, partial and full fills never above the
 * child's remaining quantity, rejects of unacknowledged orders, cancel confirmations or rejections
 * of requested cancels, fills racing a cancel) plus quotes of every kind and timers (the armed one
 * when due, and superseded ids). The adversarial set sends anything, for any id, at any moment.
 */
import fc from 'fast-check';
import type { ExecutionEvent } from '../../../src/engine/execution/types.js';
import type { EpochMs } from '../../../src/engine/units.js';
import { buildQuote, Harness, isTerminal, quoteSpecArb, setupArb, SHARE, type BrokerChild, type BrokerModel, type QuoteSpec, type Setup } from './harness.js';
import type { DriveOptions, Invariant } from './invariants.js';

type Cmd = fc.Command<BrokerModel, Harness>;

/** Milliseconds between events: mostly quick, sometimes seconds, rarely minutes. */
export const dtArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 1_500 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1_500, max: 8_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 120_000 }) },
);

/** A command that builds its event from the model when it runs. */
class EventCmd implements Cmd {
  constructor(
    private readonly name: string,
    private readonly applies: (m: Readonly<BrokerModel>, h: Harness | null) => boolean,
    private readonly make: (m: BrokerModel, h: Harness) => ExecutionEvent,
  ) {}
  check(m: Readonly<BrokerModel>): boolean {
    return this.applies(m, null);
  }
  run(m: BrokerModel, h: Harness): void {
    if (!this.applies(m, h)) return; // the armed timer is only known to the real side
    h.feed(this.make(m, h));
  }
  toString(): string {
    return this.name;
  }
}

const working = (m: Readonly<BrokerModel>): BrokerChild | undefined => m.children.find((c) => !isTerminal(c.status));
const fillPrice = (m: BrokerModel, c: BrokerChild): number => c.limitPrice ?? (m.latest !== null && m.latest.ask > 0 ? m.latest.ask : m.ref);

const quoteCmd = fc.tuple(quoteSpecArb, dtArb).map(
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
      (m) => m.children.some((c) => c.cancelRequested && !c.cancelRejected && c.status !== 'cancelled' && c.status !== 'rejected'),
      (m) => {
        const c = m.children.find((x) => x.cancelRequested && !x.cancelRejected && x.status !== 'cancelled' && x.status !== 'rejected')!;
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

/** The armed timer fires when due (possibly a little late). */
const armedTimerCmd = fc.integer({ min: 0, max: 50 }).map(
  (late) =>
    new EventCmd(
      `armedTimer(+${late})`,
      (m, h) => (h === null ? m.timerIds.length > 0 : h.state.timer !== null),
      (m, h) => ({ type: 'timer', id: h.state.timer!.id, time: Math.max(m.now, h.state.timer!.at + late) }),
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

/**
 * The broker's most likely next report for the working child: an ack, fills (partial or the
 * rest), or for a requested cancel its confirmation, a fill that beat it, or a refusal.
 */
const brokerReactsCmd = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 800 })).map(
  ([r, dt]) =>
    new EventCmd(`brokerReacts(${r.toFixed(2)},+${dt})`, (m) => working(m) !== undefined, (m): ExecutionEvent => {
      const c = working(m)!;
      const time = m.now + dt;
      const room = c.qty - c.filled;
      const partial = Math.max(1, Math.min(room - 1, Math.floor(room * r)));
      const fill = (qty: number): ExecutionEvent => ({ type: 'fill', time, clientOrderId: c.id, qty, price: fillPrice(m, c) });
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
];

// ---------------------------------------------------------------- adversarial

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
  anyTimerCmd,
  anyTimerCmd,
  ...realisticCommands,
];

/** Scenarios for the adversarial runs: also empty and negative quantities. */
export const adversarialSetupArb: fc.Arbitrary<Setup> = fc
  .tuple(setupArb, fc.option(fc.constantFrom(0, -SHARE), { freq: 20 }))
  .map(([s, qty]) => (qty === null ? s : { ...s, request: { ...s.request, qty } }));

// ---------------------------------------------------------------- the property

export interface RunOptions {
  readonly numRuns?: number;
  readonly maxCommands?: number;
  readonly setups?: fc.Arbitrary<Setup>;
  readonly commands?: fc.Arbitrary<Cmd>[];
  readonly seed?: number;
}

const driveArb: fc.Arbitrary<DriveOptions> = fc.record({ confirmCancels: fc.boolean(), rejectSubmits: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) });

/** Model-based run of the machine under generated scenarios and command sequences. */
export function assertModelRun(invariants: readonly Invariant[], opts: RunOptions = {}): void {
  const checks = new Set(invariants);
  fc.assert(
    fc.property(opts.setups ?? setupArb, fc.commands(opts.commands ?? realisticCommands, { maxCommands: opts.maxCommands ?? 80, size: 'max' }), driveArb, (setup, cmds, drive) => {
      const box: { h?: Harness } = {};
      fc.modelRun(() => {
        box.h = new Harness(setup, checks);
        return { model: box.h.model, real: box.h };
      }, cmds);
      box.h!.finish(drive);
    }),
    { numRuns: opts.numRuns ?? 300, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
  );
}

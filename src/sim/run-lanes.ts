import { nextWake, watchesQuotes } from '../engine/execution/next-wake.js';
import type { ExecutionEvent, ExecutionSettings, ExecutionState } from '../engine/execution/types.js';
import type { EpochMs } from '../engine/units.js';
import type { EventQueue } from './event-queue.js';
import type { Queued, SimLane } from './sim-lane.js';
import { lastIndexAtOrBefore } from './tape/tape.js';
import { lastIndexBefore } from './tape/tape-index.js';

/** What decides on the lanes of a run: one execution (sim-driver.ts), or a rebalance of several (rebalance-driver.ts). */
export interface LaneOwner {
  /** The run is over. */
  finished(): boolean;
  /** The execution working on `lane`, or null when none does (not started, or ended). */
  runningState(lane: SimLane): ExecutionState | null;
  /** Its settings, while it runs. */
  runningSettings(lane: SimLane): ExecutionSettings;
  /** With no execution on `lane`: whether the owner waits for the lane's first valid quote. */
  awaitsValidQuote(lane: SimLane): boolean;
  /** Gives the machine an event of `lane`'s symbol; the owner carries out what it decides (SimLane.carry). */
  deliver(lane: SimLane, event: ExecutionEvent): void;
  /** Just before a timer or broker report at `t` is delivered. */
  beforeEvent(t: EpochMs): void;
  /** A timer the owner set for itself (a queue item with no lane) is due. */
  ownTimer(t: EpochMs, id: string): void;
}

/** Whether the machine on `lane` needs its quotes now. */
function watching(owner: LaneOwner, lane: SimLane): boolean {
  const state = owner.runningState(lane);
  return state !== null ? watchesQuotes(state) : owner.awaitsValidQuote(lane);
}

/** The machine sees snapshot `index` at its own time. */
function deliverQuote(owner: LaneOwner, lane: SimLane, index: number): void {
  lane.delivered = index;
  owner.deliver(lane, { type: 'quote', time: lane.quotes.time[index]!, quote: lane.quoteAtIndex(index) });
}

/** Before any other event, the machine sees the quote prevailing at that moment. */
function deliverPrevailingQuote(owner: LaneOwner, lane: SimLane, t: EpochMs): void {
  const qi = lane.prevailing(t);
  if (qi > lane.delivered) {
    lane.delivered = qi;
    owner.deliver(lane, { type: 'quote', time: t, quote: lane.quoteAtIndex(qi) });
  }
}

/** Index of the first trade after those printed before t (or at or before t, when `atToo`). */
function tradesAfter(lane: SimLane, t: EpochMs, atToo: boolean): number {
  const trades = lane.trades;
  if (trades === null) return -1;
  return (atToo ? lastIndexAtOrBefore(trades.time, trades.length, t) : lastIndexBefore(trades.time, trades.length, t)) + 1;
}

/**
 * Finds the next snapshot and print of `lane` that can change anything. The cursors skip what
 * happened while nobody was watching; that state is already applied (an arriving order matches
 * the prevailing quote, the machine sees it before any event). Replay jumps to the next snapshot
 * and print that can matter (the tape index finds them in O(log n)); the ones in between would
 * leave everything as it is. Snapshots sharing one millisecond: only the last is replayed, the
 * NBBO at that time.
 */
function look(owner: LaneOwner, lane: SimLane, now: EpochMs): void {
  const state = owner.runningState(lane);
  const exchange = state === null ? null : lane.exchange;
  const resting = exchange !== null && exchange.hasRestingOrder();
  const watch = watching(owner, lane);
  const quotes = lane.quotes;
  const trades = lane.trades;
  if (!(watch || resting)) lane.qi = -1;
  else if (lane.qi < 0) lane.qi = lane.prevailing(now) + 1;
  if (trades === null || !resting) lane.ti = -1;
  else if (lane.ti < 0) lane.ti = lastIndexAtOrBefore(trades.time, trades.length, now) + 1;
  lane.watching = watch;
  lane.replaying = lane.qi >= 0 && lane.qi < quotes.length;
  let qj = quotes.length;
  if (lane.replaying) {
    lane.qi = lane.prevailing(quotes.time[lane.qi]!);
    if (watch) {
      // The machine says which quote it waits for (engine/execution/next-wake.ts); with no machine yet, the owner waits for a valid one.
      const awaited = state !== null ? nextWake(state, owner.runningSettings(lane)).quotes : null;
      qj = awaited !== null ? lane.quoteIndex.firstAwaited(lane.qi, awaited) : lane.quoteIndex.firstValid(lane.qi);
    }
    if (resting) qj = Math.min(qj, exchange.nextQuoteOfInterest(lane.quoteIndex, lane.qi));
  }
  const tradeIndex = lane.tradeIndex;
  const tj = tradeIndex !== null && exchange !== null && lane.ti >= 0 && lane.ti < tradeIndex.length ? exchange.nextTradeOfInterest(tradeIndex, lane.ti) : Infinity;
  lane.qj = qj;
  lane.tj = tj;
  lane.nextQuote = qj < quotes.length ? quotes.time[qj]! : Infinity;
  lane.nextTrade = trades !== null && tj < trades.length ? trades.time[tj]! : Infinity;
}

/**
 * Runs the lanes of one simulated run in virtual time, on one clock: the shared event queue of
 * everything in flight (orders, cancels and replaces reaching the venue, reports reaching the
 * client, timers), and each lane's tape. At equal times, snapshots go first, then prints, then
 * queued events (in the order they were queued), lane by lane in the order given; so a run of
 * independent lanes gives each the same events as running it alone.
 *
 * Quotes and prints are replayed only where they can matter: while a machine waits (for a valid
 * quote, a tight spread, its timer) and an order rests (until its limit is crossed or a print
 * reaches it), the tape's index (tape/tape-index.ts) finds the next snapshot or print that can
 * change either, in O(log n), so an execution costs the same on a day of a million quotes as on a
 * sparse one. The reports equal those of replaying every quote and print
 * (test/sim/driver-equivalence.test.ts). What a lane still had in flight when its execution ended
 * is dropped: nobody is left to tell.
 */
export function runLanes(lanes: readonly SimLane[], queue: EventQueue<Queued>, owner: LaneOwner): void {
  const passed: { lane: SimLane; index: number }[] = [];
  while (!owner.finished()) {
    const now = queue.now;
    let t = queue.peekTime();
    for (const lane of lanes) {
      look(owner, lane, now);
      if (lane.nextQuote < t) t = lane.nextQuote;
      if (lane.nextTrade < t) t = lane.nextTrade;
    }
    // The snapshots skipped before t (within a millisecond, quotes go first) changed nothing but
    // each machine's last quote: it sees the last of them, as if it had seen each in turn.
    passed.length = 0;
    for (const lane of lanes) {
      if (!lane.replaying) continue;
      const last = t === Infinity ? lane.quotes.length - 1 : t === lane.nextQuote ? lane.quoteIndex.lastBefore(t) : lane.prevailing(t);
      if (last < lane.qi) continue;
      if (lane.watching) passed.push({ lane, index: last });
      lane.qi = last + 1;
    }
    if (passed.length > 1) passed.sort((a, b) => a.lane.quotes.time[a.index]! - b.lane.quotes.time[b.index]!);
    for (const { lane, index } of passed) {
      queue.advanceTo(lane.quotes.time[index]!);
      deliverQuote(owner, lane, index);
    }
    if (t === Infinity) break;
    const quoted = lanes.find((lane) => lane.nextQuote === t);
    if (quoted !== undefined) {
      queue.advanceTo(t);
      quoted.exchange?.onQuote(quoted.qj);
      if (watching(owner, quoted)) deliverQuote(owner, quoted, quoted.qj);
      quoted.qi = quoted.qj + 1;
      if (quoted.ti >= 0) quoted.ti = Math.max(quoted.ti, tradesAfter(quoted, t, false)); // prints of this millisecond come after its quote
      continue;
    }
    const printed = lanes.find((lane) => lane.nextTrade === t);
    if (printed !== undefined) {
      queue.advanceTo(t);
      printed.exchange!.onTrade(printed.tj);
      printed.ti = printed.tj + 1;
      continue;
    }
    for (const lane of lanes) if (lane.ti >= 0) lane.ti = Math.max(lane.ti, tradesAfter(lane, t, true)); // and before any queued event
    const popped = queue.pop()!.item;
    if (popped.lane === null) {
      owner.beforeEvent(t);
      owner.ownTimer(t, popped.item.id);
      continue;
    }
    const { lane, item } = popped;
    if (owner.runningState(lane) === null) continue;
    switch (item.k) {
      case 'timer':
        deliverPrevailingQuote(owner, lane, t);
        owner.beforeEvent(t);
        if (owner.runningState(lane) !== null) owner.deliver(lane, { type: 'timer', time: t, id: item.id });
        break;
      case 'report':
        deliverPrevailingQuote(owner, lane, t);
        owner.beforeEvent(t);
        if (owner.runningState(lane) === null) break;
        lane.journalReport(t, item.event);
        owner.deliver(lane, item.event);
        break;
      default:
        lane.atExchange(t, item);
    }
  }
}

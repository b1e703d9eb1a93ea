import type { Side, EpochMs, Price, Qty } from '../../engine/units.js';
import { BrokerGateway, DEFAULT_GATEWAY_TIMINGS, type GatewayTimings, type PossiblyWorking } from './broker-gateway.js';
import { BrokerCallError, FINAL_STATUSES, type BrokerPort, type WallClock } from './broker-port.js';
import { OrderTracker, type BrokerOrder } from './order-tracker.js';
import { wireToPrice, wireToQty } from './wire-format.js';

/** One child order found at the broker under an execution id, after recovery settled it. */
export interface RecoveredChild {
  readonly clientOrderId: string;
  readonly n: number;
  /** The broker's status after recovery (a working child has been cancelled by then). */
  readonly status: string;
  readonly qty: Qty;
  readonly filledQty: Qty;
  /** Average fill price (price units), null when nothing filled. */
  readonly avgPrice: Price | null;
  readonly type: 'market' | 'limit';
  readonly limitPrice: Price | null;
  readonly submittedAt: EpochMs | null;
  readonly endedAt: EpochMs | null;
  /** True when recovery itself cancelled this child. */
  readonly cancelledNow: boolean;
}

export interface Recovery {
  readonly children: readonly RecoveredChild[];
  /** Total filled over every child the broker knows under this execution id. */
  readonly filledQty: Qty;
  /** Highest child number the broker knows; the next child is `${executionId}:${lastChild + 1}`. */
  readonly lastChild: number;
}

/**
 * Consecutive client ids the broker must not know, past the last child known to have been sent,
 * before the scan stops. A refused replacement consumes a child number without creating an
 * order, so one unknown id is not the end.
 */
export const RESUME_GAP = 3;

/**
 * Failed lookups (errors, not misses) of one id before recovery gives up: recovery must see the
 * broker's orders before anything is sent, so it is more patient than a reconciliation.
 */
const RECOVERY_LOOKUP_FAILURES = 12;

/** Thrown when recovery cannot establish what the broker has (nothing has been sent then). */
export class RecoveryError extends Error {
  override readonly name = 'RecoveryError';
}

/**
 * Looks up `${executionId}:1`, `:2`, ... at the broker: lookups only, nothing is sent. Ids up to
 * `knownLast` (the highest child the record says was sent) are looked up until found or the
 * suspect deadline passes, since a miss is not proof; past it, until RESUME_GAP consecutive ids
 * are unknown. An id whose lookups keep failing (not a miss: an error) stops recovery.
 */
export async function scanChildren(port: BrokerPort, wall: WallClock, executionId: string, knownLast: number, timings: GatewayTimings = DEFAULT_GATEWAY_TIMINGS): Promise<Map<number, BrokerOrder>> {
  const found = new Map<number, BrokerOrder>();
  let misses = 0;
  for (let n = 1; n <= knownLast || misses < RESUME_GAP; n++) {
    const id = `${executionId}:${n}`;
    const order = await lookupUntil(port, wall, id, n <= knownLast ? timings.suspectDeadlineMs : 0, timings);
    if (order === null) {
      misses += 1;
      continue;
    }
    misses = 0;
    found.set(n, order);
  }
  return found;
}

async function lookupUntil(port: BrokerPort, wall: WallClock, id: string, patienceMs: number, timings: GatewayTimings): Promise<BrokerOrder | null> {
  const until = wall.now() + patienceMs;
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await port.lookup(id);
    } catch (err) {
      const f = err instanceof BrokerCallError ? err : new BrokerCallError('ambiguous', null, String(err));
      if (f.kind === 'not-found') {
        if (wall.now() >= until) return null;
      } else if (++failures >= RECOVERY_LOOKUP_FAILURES && wall.now() >= until) {
        throw new RecoveryError(`resume: cannot look up ${id} at the broker (${f.message}); nothing was sent`);
      }
      await wall.sleep(Math.min(timings.maxBackoffMs, timings.backoffMs * 2 ** (attempt - 1)));
    }
  }
}

/**
 * Why the orders found under the execution id are not this command's, or null when they are:
 * every one must be for the symbol and side given, none larger than the quantity, nothing filled
 * beyond it, and the first child (always sent for the whole parent order) for exactly it.
 */
export function checkRecovered(found: ReadonlyMap<number, BrokerOrder>, expected: { readonly executionId: string; readonly symbol: string; readonly side: Side; readonly qty: Qty }): string | null {
  const want = `a ${expected.side} of ${expected.qty / 1e9} ${expected.symbol}`;
  let filled = 0;
  for (const [n, o] of [...found.entries()].sort((a, b) => a[0] - b[0])) {
    const id = `${expected.executionId}:${n}`;
    const qty = wireToQty(o.qty);
    const is = `${o.side ?? '?'} of ${qty / 1e9} ${o.symbol ?? '?'}`;
    if (o.symbol !== undefined && o.symbol.toUpperCase() !== expected.symbol) return `order ${id} at the broker is a ${is}; this command is ${want}`;
    if (o.side !== undefined && o.side !== expected.side) return `order ${id} at the broker is a ${is}; this command is ${want}`;
    if (qty > expected.qty || (n === 1 && qty !== expected.qty)) return `order ${id} at the broker is a ${is}; this command is ${want}`;
    filled += wireToQty(o.filledQty);
  }
  if (filled > expected.qty) return `the broker filled ${filled / 1e9} shares under ${expected.executionId}, more than the ${expected.qty / 1e9} of this command`;
  return null;
}

/**
 * Cancels every child still working and waits for the broker to confirm each one final (the
 * gateway's sweep: retried cancels, lookups until the deadline). Returns the children as the
 * broker left them, and those it could not confirm (then nothing new may be sent).
 */
export async function settleChildren(port: BrokerPort, wall: WallClock, executionId: string, found: ReadonlyMap<number, BrokerOrder>, timings: GatewayTimings = DEFAULT_GATEWAY_TIMINGS): Promise<{ readonly recovery: Recovery; readonly unconfirmed: PossiblyWorking[] }> {
  const tracker = new OrderTracker();
  const gateway = new BrokerGateway(port, tracker, wall, () => Date.now(), { symbol: '', side: 'buy' }, timings);
  const working = new Set<number>();
  for (const [n, o] of found) {
    gateway.adopt(o);
    if (!FINAL_STATUSES.has(o.status ?? '')) working.add(n);
  }
  const unconfirmed = await gateway.finalize();
  const children: RecoveredChild[] = [];
  for (const [n, first] of [...found.entries()].sort((a, b) => a[0] - b[0])) {
    const id = `${executionId}:${n}`;
    // The broker's final word (a working child may have filled before its cancel took).
    const o = working.has(n) ? ((await lookupUntil(port, wall, id, timings.suspectDeadlineMs, timings).catch(() => null)) ?? first) : first;
    const status = o.status ?? '';
    const ended = o.filledAt ?? o.canceledAt ?? (FINAL_STATUSES.has(status) ? o.updatedAt : null) ?? null;
    children.push({
      clientOrderId: id,
      n,
      status,
      qty: wireToQty(o.qty),
      filledQty: wireToQty(o.filledQty),
      avgPrice: wireToPrice(o.filledAvgPrice),
      type: o.type === 'market' ? 'market' : 'limit',
      limitPrice: wireToPrice(o.limitPrice),
      submittedAt: o.createdAt?.getTime() ?? null,
      endedAt: ended === null ? null : ended.getTime(),
      cancelledNow: working.has(n) && status === 'canceled',
    });
  }
  const recovery = { children, filledQty: children.reduce((s, c) => s + c.filledQty, 0), lastChild: children.reduce((m, c) => Math.max(m, c.n), 0) };
  return { recovery, unconfirmed };
}

/**
 * Maps the state machine's client ids (`${executionId}:${n}`, numbered from 1) to the broker's
 * (`${executionId}:${n + offset}`), so a resumed execution never reuses a client id.
 */
export function childIdMapping(executionId: string, offset: number): { toBroker(id: string): string; toEngine(id: string): string } {
  const prefix = `${executionId}:`;
  const shift = (id: string, by: number): string => {
    if (offset === 0 || !id.startsWith(prefix)) return id;
    const n = Number(id.slice(prefix.length));
    return Number.isInteger(n) && n > 0 ? `${prefix}${n + by}` : id;
  };
  return { toBroker: (id) => shift(id, offset), toEngine: (id) => shift(id, -offset) };
}

import type { ExecutionEvent, OrderRequest } from '../../engine/execution/types.js';
import type { EpochMs, Side } from '../../engine/units.js';
import { BrokerCallError, FINAL_STATUSES, type BrokerPort, type BrokerUpdate, type WallClock } from './broker-port.js';
import type { BrokerOrder, OrderTracker } from './order-tracker.js';
import { wireToQty } from './wire-format.js';

/** Wall-clock budgets of the gateway (DESIGN.md "Trading for real: fail safe"). */
export interface GatewayTimings {
  /** First backoff between retries; it doubles up to `maxBackoffMs`. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Lookups of one order per reconciliation before leaving it to the next one. */
  readonly lookupAttempts: number;
  /** How long an ambiguous order is looked up again before it is taken as absent. */
  readonly suspectDeadlineMs: number;
  /** POSTs of one child at most, each after the previous was taken as absent. */
  readonly submitAttempts: number;
  /** DELETEs per cancel request while the answers are ambiguous. */
  readonly cancelAttempts: number;
  /** At the end: how long the gateway keeps cancelling and looking up until every order is final. */
  readonly confirmDeadlineMs: number;
}

export const DEFAULT_GATEWAY_TIMINGS: GatewayTimings = {
  backoffMs: 50,
  maxBackoffMs: 800,
  lookupAttempts: 4,
  suspectDeadlineMs: 2_000,
  submitAttempts: 5,
  cancelAttempts: 6,
  confirmDeadlineMs: 6_000,
};

/** An order the gateway could not see reach a final state: it may still be working at the broker. */
export interface PossiblyWorking {
  readonly clientOrderId: string;
  /** The broker's order id, when known. */
  readonly orderId: string | null;
  /** The last status the broker reported, or null when the order was never seen (ambiguous submit). */
  readonly status: string | null;
}

interface Sent {
  /** The last status the broker reported (stream, POST/PATCH answer, lookup); null: never seen. */
  status: string | null;
  /** Ambiguous: may exist at the broker, not seen yet. */
  suspect: boolean;
  /** Known not to exist: refused, or looked up in vain until the deadline (then re-sent or given up). */
  absent: boolean;
}

const asCallError = (err: unknown): BrokerCallError => (err instanceof BrokerCallError ? err : new BrokerCallError('ambiguous', null, err instanceof Error ? err.message : String(err), { cause: err }));

/**
 * The broker gateway: every order call of one execution, with the ambiguity policy, so that the
 * driver is an event pump. It never throws for a broker failure; it turns what the broker says
 * into ExecutionEvents (through the OrderTracker: fills are increments of the broker's running
 * total), queued in one outbox in the order observed, and keeps its own view of which orders may
 * still be working.
 *
 * - An order POST is never blindly retried. A transport error, timeout, 5xx or 429 is ambiguous:
 *   the client id becomes a suspect, looked up again with backoff until found or a deadline
 *   passes (one miss is not proof). Only then is it taken as absent and POSTed again under the
 *   SAME client id, which the broker refuses if the first one exists ("must be unique": then it
 *   is known to exist and stays a suspect until seen).
 * - Cancels are idempotent and retried while the answers are ambiguous; a refusal (not
 *   cancelable) is followed by a lookup of the order's true state.
 * - `finalize` cancels every order that may still be working and waits for the broker to confirm
 *   each one final; what it cannot confirm is returned, to be named by the caller.
 */
export class BrokerGateway {
  private readonly sent = new Map<string, Sent>();
  /**
   * Events for the machine in the order the broker's words were observed, stream and REST alike:
   * a fill seen on the stream while a cancel was being worked out must reach the machine before
   * the cancel's confirmation, or the next child would be sized without it.
   */
  private readonly outbox: ExecutionEvent[] = [];

  constructor(
    private readonly port: BrokerPort,
    private readonly tracker: OrderTracker,
    private readonly wall: WallClock,
    private readonly venueNow: () => EpochMs,
    private readonly order: { readonly symbol: string; readonly side: Side },
    private readonly timings: GatewayTimings = DEFAULT_GATEWAY_TIMINGS,
  ) {}

  /** A stream update: the tracker learns of it at once (a suspect seen on the stream is resolved); its events join the outbox. */
  observeUpdate(u: BrokerUpdate): void {
    this.observe(u.order, { event: u.event, fillPrice: u.fillPrice, ...(u.executedAt !== undefined ? { executedAt: u.executedAt } : {}) });
  }

  /** An order found at the broker (a resume's recovery): tracked from now on, as if sent here. */
  adopt(order: BrokerOrder): void {
    if (order.clientOrderId === undefined) return;
    this.register(order.clientOrderId);
    this.observe(order);
  }

  /** The next event for the machine, oldest first. */
  nextEvent(): ExecutionEvent | undefined {
    return this.outbox.shift();
  }

  /** Client ids that may still be working at the broker (for periodic reconciliation). */
  openIds(): string[] {
    return [...this.sent.keys()].filter((id) => this.mayBeWorking(id));
  }

  allIds(): string[] {
    return [...this.sent.keys()];
  }

  /** Orders that may still be working, as far as the gateway knows now. */
  possiblyWorking(): PossiblyWorking[] {
    return this.openIds().map((id) => ({ clientOrderId: id, orderId: this.tracker.orderIdOf(id), status: this.sent.get(id)!.status }));
  }

  async submit(o: OrderRequest, extendedHours: boolean): Promise<void> {
    const id = o.clientOrderId;
    this.register(id);
    for (let attempt = 1; ; attempt++) {
      let failure: BrokerCallError;
      try {
        const answer = await this.port.submit({ clientOrderId: id, symbol: this.order.symbol, side: this.order.side, type: o.type, qty: o.qty, limitPrice: o.limitPrice, extendedHours });
        this.observe(answer);
        return;
      } catch (err) {
        failure = asCallError(err);
      }
      if (failure.kind === 'refused' || failure.kind === 'not-found') {
        this.markAbsent(id);
        this.push({ type: 'rejected', time: this.venueNow(), clientOrderId: id, reason: `${failure.status ?? ''}${failure.status !== null ? ': ' : ''}${failure.message}` });
        return;
      }
      // Ambiguous (it may exist) or a duplicate (it does exist): find it before anything else is sent.
      this.entry(id).suspect = true;
      if (await this.resolve(id, this.timings.suspectDeadlineMs)) return;
      // Known to exist but not visible: it stays a suspect, looked up by every reconciliation and
      // named at the end if it never shows. Nothing else is sent for this child meanwhile.
      if (failure.kind === 'duplicate') return;
      if (attempt >= this.timings.submitAttempts) {
        this.markAbsent(id);
        this.push({ type: 'rejected', time: this.venueNow(), clientOrderId: id, reason: `not at the broker after ${attempt} ambiguous submits (last: ${failure.message})` });
        return;
      }
      // Taken as absent after the deadline: POSTed again under the same client id (a broker
      // refuses a second order with one client id, so this can never create two orders).
      this.entry(id).suspect = false;
      await this.wall.sleep(this.backoff(attempt));
    }
  }

  async cancel(id: string): Promise<void> {
    if (!this.sent.has(id)) return;
    if (this.tracker.orderIdOf(id) === null && this.entry(id).suspect) await this.resolve(id, this.timings.suspectDeadlineMs);
    const orderId = this.tracker.orderIdOf(id);
    // Never seen: either absent (nothing to cancel) or a suspect left for reconciliation and the end.
    if (orderId === null) return;
    for (let attempt = 1; attempt <= this.timings.cancelAttempts && this.mayBeWorking(id); attempt++) {
      try {
        // Requested; the confirmation arrives as the order's status (stream or lookup).
        await this.port.cancel(orderId);
        return;
      } catch (err) {
        const f = asCallError(err);
        await this.lookupOnce(id);
        if (f.kind !== 'ambiguous') {
          // Not cancelable (it filled, or is being replaced) or unknown by id: its true state decides.
          if (this.mayBeWorking(id)) this.push({ type: 'cancel-rejected', time: this.venueNow(), clientOrderId: id, reason: f.message });
          return;
        }
        await this.wall.sleep(this.backoff(attempt));
      }
    }
  }

  async replace(id: string, o: OrderRequest): Promise<void> {
    const next = o.clientOrderId;
    if (this.tracker.orderIdOf(id) === null && this.sent.get(id)?.suspect === true) await this.resolve(id, this.timings.suspectDeadlineMs);
    const orderId = this.tracker.orderIdOf(id);
    this.register(next);
    const refuse = (reason: string): void => {
      this.markAbsent(next);
      this.push({ type: 'replace-rejected', time: this.venueNow(), clientOrderId: id, newClientOrderId: next, reason });
    };
    if (orderId === null) {
      refuse('order to replace not found');
      return;
    }
    let failure: BrokerCallError;
    try {
      const fresh = await this.port.replace(orderId, { clientOrderId: next, qty: o.qty, limitPrice: o.limitPrice });
      this.outbox.push(...this.tracker.expectReplacement(id, next, wireToQty(fresh.qty) || o.qty, this.venueNow()));
      this.observe(fresh);
      return;
    } catch (err) {
      failure = asCallError(err);
    }
    if (failure.kind === 'refused' || failure.kind === 'not-found') {
      refuse(`${failure.status ?? ''}: ${failure.message}`);
      // The old order's true state (it may have filled, which is why the replace was refused).
      await this.lookupOnce(id);
      return;
    }
    // Ambiguous: the replacement may exist. Find it (never PATCH twice).
    this.entry(next).suspect = true;
    const found = await this.resolve(next, this.timings.suspectDeadlineMs, (order) => this.outbox.push(...this.tracker.expectReplacement(id, next, wireToQty(order.qty) || o.qty, this.venueNow())));
    if (!found && failure.kind !== 'duplicate') refuse(`replace not confirmed: ${failure.message}`);
    await this.lookupOnce(id);
  }

  /** The broker's current word on each id (bounded retries; a failure leaves it to the next reconciliation). */
  async reconcile(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.lookupOnce(id);
  }

  /**
   * End of the execution, whatever its outcome: cancels every order that may still be working
   * (re-sending the idempotent cancel now and then) and looks each up until the broker reports it
   * final or the confirmation deadline passes. What it sees joins the outbox (late fills count);
   * returns the orders it could not confirm.
   */
  async finalize(): Promise<PossiblyWorking[]> {
    const deadline = this.wall.now() + this.timings.confirmDeadlineMs;
    const lastCancel = new Map<string, number>();
    for (let round = 1; ; round++) {
      for (const id of this.openIds()) {
        if (this.tracker.orderIdOf(id) === null && !(await this.resolve(id, Math.max(0, deadline - this.wall.now())))) continue;
        // A cancel whose confirmation has not come is sent again after a while (idempotent).
        const last = lastCancel.get(id);
        if (this.mayBeWorking(id) && (last === undefined || this.wall.now() - last >= 4 * this.timings.maxBackoffMs)) {
          lastCancel.set(id, this.wall.now());
          await this.cancel(id);
        }
        if (this.mayBeWorking(id)) await this.lookupOnce(id);
      }
      if (this.openIds().length === 0 || this.wall.now() >= deadline) break;
      await this.wall.sleep(this.backoff(round));
    }
    return this.possiblyWorking();
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Looks a suspect up with backoff until it is found (by a lookup, or meanwhile on the stream)
   * or `deadlineMs` has passed. Returns whether it was seen.
   */
  private async resolve(id: string, deadlineMs: number, onFound?: (order: BrokerOrder) => void): Promise<boolean> {
    const until = this.wall.now() + deadlineMs;
    for (let attempt = 1; ; attempt++) {
      if (this.tracker.orderIdOf(id) !== null) return true;
      try {
        const order = await this.port.lookup(id);
        onFound?.(order);
        this.observe(order);
        return true;
      } catch (err) {
        // A miss (404) is not proof, nor is a failed lookup: keep looking until the deadline.
        void asCallError(err);
      }
      if (this.tracker.orderIdOf(id) !== null) return true;
      if (this.wall.now() >= until) return false;
      await this.wall.sleep(Math.min(this.backoff(attempt), Math.max(0, until - this.wall.now())));
    }
  }

  /** One reconciliation of `id`: a few lookups while the answers are ambiguous; a miss concludes nothing. */
  private async lookupOnce(id: string): Promise<void> {
    for (let attempt = 1; attempt <= this.timings.lookupAttempts; attempt++) {
      try {
        this.observe(await this.port.lookup(id));
        return;
      } catch (err) {
        if (asCallError(err).kind !== 'ambiguous') return;
        if (attempt < this.timings.lookupAttempts) await this.wall.sleep(this.backoff(attempt));
      }
    }
  }

  private push(e: ExecutionEvent): void {
    this.outbox.push(e);
  }

  private observe(order: BrokerOrder, extra: Parameters<OrderTracker['observe']>[2] = {}): void {
    const id = order.clientOrderId ?? (order.id !== undefined ? this.tracker.clientIdOf(order.id) : undefined);
    const e = id === undefined ? undefined : this.sent.get(id);
    if (e !== undefined) {
      e.suspect = false;
      e.absent = false; // seen after all: it exists, whatever was concluded before
      // A final status is sticky: an older answer (a lookup that left before the fill came on
      // the stream) must not make a filled or cancelled order look as if it still worked.
      const final = e.status !== null && FINAL_STATUSES.has(e.status);
      if (order.status !== undefined && order.status !== '' && (!final || FINAL_STATUSES.has(order.status))) e.status = order.status;
    }
    this.outbox.push(...this.tracker.observe(order, this.venueNow(), extra));
  }

  private register(id: string): void {
    this.tracker.track(id);
    if (!this.sent.has(id)) this.sent.set(id, { status: null, suspect: false, absent: false });
  }

  private entry(id: string): Sent {
    this.register(id);
    return this.sent.get(id)!;
  }

  private markAbsent(id: string): void {
    const e = this.entry(id);
    e.suspect = false;
    e.absent = true;
    this.tracker.markTerminal(id);
  }

  /** May be working at the broker: a suspect, or seen with a status that is not final. */
  private mayBeWorking(id: string): boolean {
    const e = this.sent.get(id);
    if (e === undefined || e.absent) return false;
    return e.suspect || (e.status !== null && !FINAL_STATUSES.has(e.status));
  }

  private backoff(attempt: number): number {
    return Math.min(this.timings.maxBackoffMs, this.timings.backoffMs * 2 ** Math.max(0, attempt - 1));
  }
}

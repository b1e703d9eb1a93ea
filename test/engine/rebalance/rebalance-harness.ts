/**
 * Drives the pure rebalance machine against a small reference broker, from a list of choices
 * (fast-check integers): at each step the choice picks one of the things a broker or the market
 * could do next (ack, reject, fill part or all at or inside the limit, confirm or race a cancel,
 * answer a replace, a new quote, the earliest timer). After every transition it checks the
 * money invariants with its own books, kept from the broker's side: exact cash from every fill,
 * what each symbol sold against what it held, and what each buy reserved when it started.
 */
import { parseConfig } from '../../../src/engine/config.js';
import type { ExecutionAction, ExecutionEvent, ExecutionSettings, OrderRequest } from '../../../src/engine/execution/types.js';
import type { Quote } from '../../../src/engine/quote.js';
import { startRebalance, stepRebalance } from '../../../src/engine/rebalance/step.js';
import type { RebalanceAction, RebalanceEvent, RebalanceMachineSettings, RebalanceState } from '../../../src/engine/rebalance/machine-types.js';
import type { RebalanceInput, RebalancePlan } from '../../../src/engine/rebalance/plan-types.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import type { EpochMs, Price, Qty } from '../../../src/engine/units.js';
import { et } from '../execution/scenarios.js';

export const T0 = et('10:00');

interface BrokerOrder {
  readonly symbol: string;
  readonly req: OrderRequest;
  qty: Qty;
  filled: Qty;
  acked: boolean;
  ended: boolean;
  cancelRequested: boolean;
  /** A replace asked for and not answered yet: the new order. */
  replacement: OrderRequest | null;
}

export interface FillRecord {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: Qty;
  readonly price: Price;
  readonly time: EpochMs;
}

export interface HarnessOptions {
  /** Client ids whose first submission the broker rejects (the reject fault). */
  readonly rejectIds?: ReadonlySet<string>;
  /** Every choice is "fill completely at the limit now" when possible (a perfect broker). */
  readonly perfect?: boolean;
  readonly ladder?: Record<string, unknown>;
}

/** Machine settings for a generated portfolio: each symbol's guard is its plan guard. */
export function machineSettings(input: RebalanceInput, ladder: Record<string, unknown> = {}): RebalanceMachineSettings {
  const executions: Record<string, ExecutionSettings> = {};
  const maxSlippageBps: Record<string, number | null> = {};
  for (const [symbol, m] of Object.entries(input.markets)) {
    const fallback = m.maxSlippageBps === null ? { mode: 'market' } : ((ladder['fallback'] as object | undefined) ?? { mode: 'market' });
    const config = parseConfig({ ladder: { ...ladder, maxSlippageBps: m.maxSlippageBps, fallback } });
    executions[symbol] = strategySettings('ladder', config, symbol);
    maxSlippageBps[symbol] = m.maxSlippageBps;
  }
  return { rebalance: input.settings, executions, maxSlippageBps };
}

export class RebalanceHarness {
  state: RebalanceState;
  now: EpochMs = T0;
  readonly orders = new Map<string, BrokerOrder>();
  readonly fills: FillRecord[] = [];
  readonly timers: { id: string; at: EpochMs; symbol: string | null }[] = [];
  readonly quotes: Record<string, Quote>;
  /** Every action, with the time it was produced. */
  readonly trace: { time: EpochMs; action: RebalanceAction }[] = [];
  /** Exact cash from the broker's side: cash x 1e9 plus sells minus buys, in Qty x Price units. */
  exactCash: bigint;
  /** What each running buy may still spend (exact units), from its start request. */
  readonly commitments = new Map<string, bigint>();
  private readonly rejectIds: ReadonlySet<string>;

  constructor(
    readonly input: RebalanceInput,
    readonly plan: RebalancePlan,
    readonly settings: RebalanceMachineSettings,
    private readonly opts: HarnessOptions = {},
  ) {
    this.rejectIds = opts.rejectIds ?? new Set();
    this.exactCash = BigInt(input.cash) * 1_000_000_000n;
    this.quotes = Object.fromEntries(Object.entries(input.markets).map(([s, m]) => [s, { ...m.quote, time: T0 }]));
    const tr = startRebalance({ rebalanceId: 'RB', plan, cash: input.cash, positions: input.positions, quotes: this.quotes, time: T0 }, settings);
    this.state = tr.state;
    this.carry(tr.actions);
  }

  private deliver(event: RebalanceEvent): void {
    const tr = stepRebalance(this.state, event, this.settings);
    this.state = tr.state;
    this.carry(tr.actions);
  }

  private carry(actions: readonly RebalanceAction[]): void {
    for (const action of actions) {
      this.trace.push({ time: this.now, action });
      if (action.kind === 'set-timer') this.timers.push({ id: action.id, at: action.at, symbol: null });
      if (action.kind === 'start-execution') this.onStart(action);
      if (action.kind === 'execution') this.onExecutionAction(action.symbol, action.action);
    }
    this.checkMoney();
  }

  /** A buy starts: its reservation must fit in the cash that exists, less what running buys may still spend. */
  private onStart(a: Extract<RebalanceAction, { kind: 'start-execution' }>): void {
    const r = a.request;
    if (r.side !== 'buy') return;
    if (r.priceCap === undefined) throw new Error(`buy ${r.executionId} started without a price cap`);
    const need = BigInt(r.qty) * BigInt(r.priceCap);
    const free = this.exactCash - [...this.commitments.values()].reduce((x, y) => x + y, 0n);
    if (need > free) throw new Error(`buy ${r.executionId} reserves ${need} with only ${free} free`);
    this.commitments.set(a.symbol, need);
  }

  private onExecutionAction(symbol: string, a: ExecutionAction): void {
    switch (a.kind) {
      case 'submit':
      case 'replace': {
        const o = a.order;
        const leg = this.state.legs.find((l) => l.symbol === symbol)!;
        if (leg.side === 'buy' && (o.type !== 'limit' || o.limitPrice! > leg.priceCap!)) {
          throw new Error(`buy child ${o.clientOrderId} ${o.type} at ${o.limitPrice} beyond the cap ${leg.priceCap}`);
        }
        if (a.kind === 'replace') {
          const old = this.orders.get(a.clientOrderId);
          if (old !== undefined) old.replacement = o;
        } else {
          this.orders.set(o.clientOrderId, { symbol, req: o, qty: o.qty, filled: 0, acked: false, ended: false, cancelRequested: false, replacement: null });
        }
        break;
      }
      case 'cancel': {
        const o = this.orders.get(a.clientOrderId);
        if (o !== undefined) o.cancelRequested = true;
        break;
      }
      case 'set-timer':
        this.timers.push({ id: a.id, at: a.at, symbol });
        break;
      default:
        break;
    }
  }

  private checkMoney(): void {
    if (this.exactCash < 0n) throw new Error(`cash went negative: ${this.exactCash}`);
    for (const [symbol, held] of Object.entries(this.input.positions)) {
      const sold = this.fills.filter((f) => f.symbol === symbol && f.side === 'sell').reduce((a, f) => a + f.qty, 0);
      if (sold > held) throw new Error(`${symbol}: sold ${sold} of ${held} held`);
    }
    for (const f of this.fills) if (f.side === 'sell' && (this.input.positions[f.symbol] ?? 0) === 0) throw new Error(`${f.symbol}: sold without holding any`);
  }

  // ------------------------------------------------------------ broker and market moves

  private fill(o: BrokerOrder, qty: Qty, price: Price): void {
    o.filled += qty;
    this.fills.push({ symbol: o.symbol, side: o.req.side, qty, price, time: this.now });
    const value = BigInt(qty) * BigInt(price);
    this.exactCash += o.req.side === 'sell' ? value : -value;
    if (o.req.side === 'buy') this.commitments.set(o.symbol, (this.commitments.get(o.symbol) ?? 0n) - value);
    this.deliver({ type: 'execution', symbol: o.symbol, event: { type: 'fill', time: this.now, clientOrderId: o.req.clientOrderId, qty, price } });
    if (o.filled >= o.qty) o.ended = true;
  }

  private reply(o: BrokerOrder, event: ExecutionEvent): void {
    this.deliver({ type: 'execution', symbol: o.symbol, event });
  }

  private priceFor(o: BrokerOrder, inside: number): Price {
    const q = this.quotes[o.symbol]!;
    const limit = o.req.limitPrice;
    if (limit === null) return o.req.side === 'buy' ? q.ask : q.bid;
    const tick = limit >= 10_000 ? 100 : 1;
    return o.req.side === 'buy' ? Math.max(1, limit - inside * tick) : limit + inside * tick;
  }

  /** The moves possible now, each a closure taking one more choice for its parameter. */
  private moves(): ((c: number) => void)[] {
    const out: ((c: number) => void)[] = [];
    for (const o of this.orders.values()) {
      if (o.ended) continue;
      const id = o.req.clientOrderId;
      if (!o.acked) {
        out.push(() => {
          o.acked = true;
          if (this.rejectIds.has(id)) {
            o.ended = true;
            this.reply(o, { type: 'rejected', time: this.now, clientOrderId: id, reason: 'insufficient qty (fault)' });
          } else this.reply(o, { type: 'accepted', time: this.now, clientOrderId: id });
        });
        if (!this.opts.perfect) {
          out.push(() => {
            o.acked = true;
            o.ended = true;
            this.reply(o, { type: 'rejected', time: this.now, clientOrderId: id, reason: 'random reject' });
          });
        }
        continue;
      }
      out.push((c) => this.fill(o, o.qty - o.filled, this.priceFor(o, c % 3)));
      if (!this.opts.perfect) out.push((c) => this.fill(o, Math.max(1, Math.floor(((o.qty - o.filled) * ((c % 9) + 1)) / 10)), this.priceFor(o, c % 2)));
      if (o.cancelRequested) {
        out.push(() => {
          o.ended = true;
          this.reply(o, { type: 'cancelled', time: this.now, clientOrderId: id });
        });
      }
      if (o.replacement !== null) {
        const next = o.replacement;
        out.push(() => {
          o.replacement = null;
          o.ended = true;
          const qty = Math.min(next.qty, o.qty - o.filled);
          this.orders.set(next.clientOrderId, { symbol: o.symbol, req: next, qty, filled: 0, acked: true, ended: false, cancelRequested: false, replacement: null });
          this.reply(o, { type: 'replaced', time: this.now, clientOrderId: id, newClientOrderId: next.clientOrderId, qty });
        });
        out.push(() => {
          o.replacement = null;
          this.reply(o, { type: 'replace-rejected', time: this.now, clientOrderId: id, newClientOrderId: next.clientOrderId, reason: 'refused' });
        });
      }
    }
    if (!this.opts.perfect) {
      out.push((c) => {
        const symbols = Object.keys(this.quotes).sort();
        const symbol = symbols[c % symbols.length]!;
        const q = this.quotes[symbol]!;
        const tick = q.bid >= 10_000 ? 100 : 1;
        const move = ((c >> 3) % 5) - 2;
        const bid = Math.max(tick, q.bid + move * tick);
        this.now += (c >> 6) % 700;
        this.quotes[symbol] = { time: this.now, bid, ask: bid + (q.ask - q.bid), bidSize: q.bidSize, askSize: q.askSize };
        this.deliver({ type: 'quote', time: this.now, symbol, quote: this.quotes[symbol]! });
      });
    }
    out.push(() => this.fireEarliestTimer());
    return out;
  }

  private fireEarliestTimer(): void {
    if (this.timers.length === 0) return;
    this.timers.sort((a, b) => a.at - b.at);
    const t = this.timers.shift()!;
    this.now = Math.max(this.now, t.at);
    // Quotes stay fresh: the market keeps quoting while the timer runs.
    for (const s of Object.keys(this.quotes)) this.quotes[s] = { ...this.quotes[s]!, time: this.now };
    for (const s of Object.keys(this.quotes)) this.deliver({ type: 'quote', time: this.now, symbol: s, quote: this.quotes[s]! });
    if (t.symbol === null) this.deliver({ type: 'timer', time: this.now, id: t.id });
    else this.deliver({ type: 'execution', symbol: t.symbol, event: { type: 'timer', time: this.now, id: t.id } });
  }

  /** Plays the choices, then drives to the end as a broker that answers everything would. */
  run(choices: readonly number[]): void {
    for (let i = 0; i + 1 < choices.length && this.state.phase !== 'done'; i += 2) {
      const moves = this.moves();
      moves[choices[i]! % moves.length]!(choices[i + 1]!);
    }
    for (let steps = 0; this.state.phase !== 'done'; steps++) {
      if (steps > 2_000) throw new Error(`rebalance not done after the drive (phase ${this.state.phase})`);
      const pending = [...this.orders.values()].find((o) => !o.ended && (!o.acked || o.cancelRequested || o.replacement !== null));
      if (pending !== undefined) {
        const id = pending.req.clientOrderId;
        if (!pending.acked) {
          pending.acked = true;
          if (this.rejectIds.has(id)) {
            pending.ended = true;
            this.reply(pending, { type: 'rejected', time: this.now, clientOrderId: id, reason: 'insufficient qty (fault)' });
          } else this.reply(pending, { type: 'accepted', time: this.now, clientOrderId: id });
        } else if (pending.replacement !== null) {
          const next = pending.replacement;
          pending.replacement = null;
          this.reply(pending, { type: 'replace-rejected', time: this.now, clientOrderId: id, newClientOrderId: next.clientOrderId, reason: 'refused' });
        } else {
          pending.ended = true;
          this.reply(pending, { type: 'cancelled', time: this.now, clientOrderId: id });
        }
        continue;
      }
      if (this.opts.perfect) {
        const live = [...this.orders.values()].find((o) => !o.ended);
        if (live !== undefined) {
          this.fill(live, live.qty - live.filled, this.priceFor(live, 0));
          continue;
        }
      }
      if (this.timers.length === 0) throw new Error(`rebalance waits on nothing (phase ${this.state.phase})`);
      this.fireEarliestTimer();
    }
  }
}

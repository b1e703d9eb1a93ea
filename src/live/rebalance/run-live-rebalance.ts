import type { Quote } from '../../engine/quote.js';
import { buyBudgetAfterSells, decideBuys, type BuyToDecide } from '../../engine/rebalance/buy-decisions.js';
import type { EndedLeg } from '../../engine/rebalance/leg-books.js';
import type { RebalanceMachineSettings } from '../../engine/rebalance/machine-types.js';
import type { PlannedOrder, RebalancePlan } from '../../engine/rebalance/plan-types.js';
import type { Money } from '../../engine/money.js';
import type { Qty } from '../../engine/units.js';
import type { PossiblyWorking } from '../driver/broker-gateway.js';
import { StreamUnavailableError } from '../driver/broker-port.js';
import { planQuotes } from './plan-quotes.js';
import { LegRefused, runLeg, type LegEnvironment, type LegOrder, type LegOutcome } from './run-leg.js';

/** How a leg stands when a run of the rebalance begins. */
export type LegStart =
  /** Never sent (no live_executions row): a sell goes for `qty`; a buy is sized when the sells are over. */
  | { readonly kind: 'new' }
  /** Started by an earlier run (its row): reconciled through its client ids, then its remainder of `qty` worked. */
  | { readonly kind: 'started'; readonly qty: Qty };

export interface LiveRebalanceRun {
  readonly env: LegEnvironment;
  readonly rebalanceId: string;
  readonly plan: RebalancePlan;
  readonly settings: RebalanceMachineSettings;
  /** What the plan was sized from (Money). */
  readonly cashBefore: Money;
  /** Per planned symbol; all `new` on a first run. */
  readonly starts: Readonly<Record<string, LegStart>>;
  /** True on a resume: unstarted buys are sized from the account's cash now, not from this run's proceeds. */
  readonly resuming: boolean;
  /** What the account says may be spent now (Money). */
  readonly spendableNow: () => Promise<Money>;
  /** A fresh quote of a symbol (REST latest), or null. */
  readonly quoteNow: (symbol: string) => Promise<Quote | null>;
  /** One line for the user as the rebalance goes (sizing, drops). */
  readonly say: (line: string) => void;
}

export interface LiveRebalanceResult {
  readonly legs: readonly EndedLeg[];
  readonly outcomes: readonly LegOutcome[];
  /** Orders whose end could not be confirmed, per leg: the rebalance may not exit 0. */
  readonly possiblyWorking: readonly { readonly executionId: string; readonly orders: readonly PossiblyWorking[] }[];
  /** Legs that could not be reconciled or started (nothing of them sent by this run). */
  readonly refused: readonly { readonly executionId: string; readonly message: string; readonly mayBeWorking: boolean }[];
  readonly log: readonly { readonly time: number; readonly event: string; readonly detail: string }[];
}

const executionIdOf = (rebalanceId: string, symbol: string): string => `${rebalanceId}:${symbol}`;

/**
 * Runs a rebalance's legs on the live path: every sell at once (and the buys with them when the
 * plan found the cash alone covers every buy at its cap: plan.buysCoveredByCash, the machine's
 * rule); otherwise, once every sell has ended, the buys re-sized by the machine's pure functions
 * (buyBudgetAfterSells over the sells' actual broker fills and the account's cash, then
 * decideBuys) and started together. Each leg runs on issue 9's live driver and gateway.
 *
 * Why not the pure rebalance machine itself: it embeds each leg's ExecutionState and steps it,
 * while issue 9's driver owns its own execution state, gateway and cancel sweep per order;
 * composing the machine around the live legs would mean a second live driver for several
 * executions, bypassing issue 9's. So this loop only sequences the legs, and every decision
 * (the plan, the covered-by-cash rule, the budget, the sizing, the outcome) is an engine function.
 */
export async function runLiveRebalance(r: LiveRebalanceRun): Promise<LiveRebalanceResult> {
  const { env, plan } = r;
  const log: { time: number; event: string; detail: string }[] = [];
  const note = (event: string, detail: string): void => {
    log.push({ time: env.clock.now(), event, detail });
    r.say(`${event}: ${detail}`);
  };
  const legs = new Map<string, EndedLeg>();
  const outcomes: LegOutcome[] = [];
  const refused: { executionId: string; message: string; mayBeWorking: boolean }[] = [];
  const planned = (o: PlannedOrder): EndedLeg => ({ symbol: o.symbol, side: o.side, executionId: executionIdOf(r.rebalanceId, o.symbol), plannedQty: o.qty, desiredQty: o.desiredQty, report: null, note: null });

  const go = async (o: PlannedOrder, order: LegOrder, mayHaveRun: boolean): Promise<void> => {
    try {
      const out = await runLeg(env, order, mayHaveRun);
      outcomes.push(out);
      legs.set(o.symbol, { ...planned(o), report: out.report });
    } catch (err) {
      // One leg's failure never abandons the others mid-flight: each finishes (and sweeps) on its
      // own. A failure that is not a clean refusal may have come after something was sent.
      const clean = err instanceof LegRefused ? !err.mayBeWorking : err instanceof StreamUnavailableError;
      const message = err instanceof LegRefused ? err.message : `leg ${order.executionId} stopped: ${err instanceof Error ? err.message : String(err)}`;
      refused.push({ executionId: order.executionId, message, mayBeWorking: !clean });
      legs.set(o.symbol, { ...planned(o), note: message });
    }
  };
  const orderOf = (o: PlannedOrder, qty: Qty, cap: number | null): LegOrder => ({ executionId: executionIdOf(r.rebalanceId, o.symbol), symbol: o.symbol, side: o.side, qty, priceCap: cap });
  const startOf = (o: PlannedOrder): LegStart => r.starts[o.symbol] ?? { kind: 'new' };

  // Phase one: every sell, every buy an earlier run had started (reconciled, then its remainder
  // under its first cap: it was sized from money that existed then), and the buys when the cash
  // alone covers them all at their caps.
  const first: Promise<void>[] = [];
  for (const o of plan.sells) {
    const s = startOf(o);
    first.push(go(o, orderOf(o, s.kind === 'started' ? s.qty : o.qty, null), s.kind === 'started'));
  }
  const startedBuys = plan.buys.filter((o) => startOf(o).kind === 'started');
  for (const o of startedBuys) first.push(go(o, orderOf(o, (startOf(o) as { qty: Qty }).qty, o.priceCap), true));
  const newBuys = plan.buys.filter((o) => startOf(o).kind === 'new');
  const together = !r.resuming && plan.buysCoveredByCash && newBuys.length > 0;
  if (together) {
    note('buys-with-sells', 'the cash covers every buy at its cap: the buys start with the sells');
    for (const o of newBuys) first.push(go(o, orderOf(o, o.desiredQty, o.priceCap), false));
  }
  await Promise.all(first);

  const unsettled = outcomes.some((o) => o.possiblyWorking.length > 0) || refused.some((x) => x.mayBeWorking);
  if (!together && newBuys.length > 0 && unsettled) {
    // A sell that may still be working may still change the cash: nothing is sized from it.
    for (const o of newBuys) legs.set(o.symbol, { ...planned(o), note: 'not sent: orders of an earlier leg may still be working' });
    note('hold-buys', 'orders of an earlier leg may still be working: no buy is sent');
  } else if (!together && newBuys.length > 0) {
    // Phase two: the buys, from the money that exists now (and none when the account cannot say).
    let spendable: Money;
    try {
      spendable = await r.spendableNow();
    } catch (err) {
      const why = `the account could not be read to size it (${err instanceof Error ? err.message : String(err)})`;
      for (const o of newBuys) legs.set(o.symbol, { ...planned(o), note: why });
      note('hold-buys', why);
      return finish();
    }
    const proceeds = r.resuming ? [] : plan.sells.map((o) => outcomes.find((x) => x.order.symbol === o.symbol)?.notionalFloor ?? 0);
    const budget = r.resuming ? buyBudgetAfterSells(spendable, [], spendable) : buyBudgetAfterSells(r.cashBefore, proceeds, spendable);
    const priced: BuyToDecide[] = [];
    for (const o of newBuys) {
      const q = await validQuote(r, o.symbol);
      if (q === null) legs.set(o.symbol, { ...planned(o), note: 'no valid quote to size it from' });
      else priced.push({ symbol: o.symbol, desiredQty: o.desiredQty, quote: q });
    }
    note('size-buys', `sizing ${priced.length} buy(s) from $${(budget / 10_000).toFixed(2)} of cash (account: $${(spendable / 10_000).toFixed(2)})`);
    const decisions = decideBuys(priced, budget, r.settings);
    const second: Promise<void>[] = [];
    for (const d of decisions) {
      const o = newBuys.find((b) => b.symbol === d.symbol)!;
      if (d.kind === 'drop') {
        note('drop', `${d.symbol} not bought: ${d.note}`);
        legs.set(o.symbol, { ...planned(o), note: d.note });
        continue;
      }
      if (d.note !== null) note('re-size', `${d.symbol}: ${d.note}`);
      second.push(go(o, orderOf(o, d.qty, d.cap), false));
    }
    await Promise.all(second);
  }

  return finish();

  function finish(): LiveRebalanceResult {
    const ordered = [...plan.sells, ...plan.buys].map((o) => legs.get(o.symbol) ?? planned(o));
    const possiblyWorking = outcomes.filter((o) => o.possiblyWorking.length > 0).map((o) => ({ executionId: o.order.executionId, orders: o.possiblyWorking }));
    return { legs: ordered, outcomes, possiblyWorking, refused, log };
  }
}

/** The symbol's quote, valid by its ladder's rule, asked again within its quoteWaitMs (a quiet name between quotes). */
async function validQuote(r: LiveRebalanceRun, symbol: string): Promise<Quote | null> {
  const source = { latest: r.quoteNow, now: () => r.env.clock.now(), sleep: (ms: number) => new Promise<void>((res) => setTimeout(res, ms)) };
  const got = await planQuotes(source, [symbol], r.settings.executions);
  return 'quotes' in got ? got.quotes[symbol]! : null;
}

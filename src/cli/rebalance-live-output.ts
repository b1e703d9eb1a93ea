import type { RebalancePlan, SymbolMarket } from '../engine/rebalance/plan-types.js';
import type { RailsVerdict } from '../engine/rebalance/rails.js';
import { moneyToDollars } from '../engine/money.js';
import { qtyToShares } from '../engine/units.js';
import type { AccountSnapshot } from '../live/rebalance/account.js';
import { EXIT } from './exit-codes.js';
import { planToJson } from './rebalance-output.js';

const dollars = (m: number): number => moneyToDollars(m);

/**
 * `--dry-run`: the plan from the account, and what the rails would say, as JSON or a table;
 * nothing is sent. Exit 0 when the plan could be sent, 2 (refused) when a rail would refuse it.
 */
export function printDryRun(d: { plan: RebalancePlan; account: AccountSnapshot; rails: RailsVerdict; live: boolean; json: boolean; markets: Readonly<Record<string, SymbolMarket>> }): number {
  // The rails bind live trading only (as execute's cap); a paper dry run shows what they would say.
  const refused = d.live && d.rails.refusals.length > 0;
  const code = refused ? EXIT.refused : EXIT.filled;
  if (d.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          dryRun: true, mode: d.live ? 'live' : 'paper', exitCode: code,
          account: { cash: dollars(d.account.cash), buyingPower: dollars(d.account.buyingPower), spendable: dollars(d.account.spendable), positions: Object.fromEntries(Object.entries(d.account.positions).map(([s, q]) => [s, qtyToShares(q)])) },
          plan: planToJson(d.plan), leftAlone: d.plan.leftAlone, equity: dollars(d.plan.equity), expectedSellProceeds: dollars(d.plan.expectedSellProceeds), buysCoveredByCash: d.plan.buysCoveredByCash,
          arrival: Object.fromEntries(Object.entries(d.markets).map(([s, m]) => [s, { bid: m.quote.bid / 10_000, ask: m.quote.ask / 10_000, time: m.quote.time }])),
          rails: { orders: d.rails.orders, totalUsd: d.rails.totalUsd, refusals: d.rails.refusals, binding: d.live },
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lines = [
      `dry run (${d.live ? 'live' : 'paper'}): nothing was sent`,
      `  account: cash ${dollars(d.account.cash).toFixed(2)} USD, buying power ${dollars(d.account.buyingPower).toFixed(2)}, spendable ${dollars(d.account.spendable).toFixed(2)}; equity ${dollars(d.plan.equity).toFixed(2)}`,
      ...[...d.plan.sells, ...d.plan.buys].map((o) => `  plan ${o.side} ${o.symbol} ${qtyToShares(o.qty)}: ${o.reason}`),
      ...d.plan.leftAlone.map((l) => `  left alone ${l.symbol}: ${l.reason}`),
      `  ${d.plan.buysCoveredByCash ? 'the cash covers every buy: the buys would start with the sells' : 'the buys would wait for the sells and be re-sized from their proceeds'}`,
      `  rails: ${d.rails.totalUsd.toFixed(2)} USD in all; ${d.rails.refusals.length === 0 ? 'within maxNotionalPerOrder and maxRebalanceNotional' : `${d.live ? 'REFUSED' : 'would refuse a --live run'}: ${d.rails.refusals.join('; ')}`}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (refused) process.stderr.write(`better-orders: rebalance --live refused: ${d.rails.refusals.join('; ')}; nothing was sent\n`);
  return code;
}

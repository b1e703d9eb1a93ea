import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import type { Money } from '../../engine/money.js';
import type { Qty } from '../../engine/units.js';
import { brokerRead } from '../driver/alpaca-session.js';
import { LiveDriverError } from '../driver/alpaca-session.js';
import { wireToPrice, wireToQty } from '../driver/wire-format.js';

/** What the account holds, as the broker says (GET /v2/account and /v2/positions). */
export interface AccountSnapshot {
  /** Cash (Money, may be negative on a margin account). */
  readonly cash: Money;
  /** Buying power as the broker states it (Money). */
  readonly buyingPower: Money;
  /**
   * What a rebalance may spend: the cash, never more than the buying power, never below zero. A
   * rebalance does not borrow: margin buying power above the cash is not money it has.
   */
  readonly spendable: Money;
  /** Long positions, shares (Qty) per symbol. */
  readonly positions: Readonly<Record<string, Qty>>;
  /** Symbols held short (a rebalance refuses them: its plan never holds less than nothing). */
  readonly shorts: readonly string[];
}

/** The account's status field is not ACTIVE, or a field the rebalance needs is missing. */
export class AccountUnusable extends LiveDriverError {}

/**
 * Reads the account and its positions (safe GETs, with brokerRead's retries). Throws
 * BrokerUnavailable naming `where` when the broker cannot be read, AccountUnusable when the
 * account cannot trade or lacks cash.
 */
export async function readAccount(alpaca: Alpaca, where: string): Promise<AccountSnapshot> {
  const account = await brokerRead(where, () => alpaca.trading.account.getAccount());
  const positions = await brokerRead(where, () => alpaca.trading.positions.getAllOpenPositions());
  if (account.status !== 'ACTIVE') throw new AccountUnusable(`the account at ${where} is ${String(account.status)}, not ACTIVE; nothing was sent`);
  if (account.tradingBlocked === true || account.accountBlocked === true) throw new AccountUnusable(`the account at ${where} is blocked from trading; nothing was sent`);
  const cash = wireToPrice(account.cash);
  if (cash === null) throw new AccountUnusable(`the account at ${where} states no cash; nothing was sent`);
  const buyingPower = wireToPrice(account.buyingPower) ?? cash;
  const held: Record<string, Qty> = {};
  const shorts: string[] = [];
  for (const p of positions) {
    const qty = wireToQty(p.qty);
    if (p.side === 'short' || qty < 0) shorts.push(p.symbol);
    else if (qty > 0) held[p.symbol] = qty;
  }
  return { cash, buyingPower, spendable: Math.max(0, Math.min(cash, buyingPower)), positions: held, shorts: shorts.sort() };
}

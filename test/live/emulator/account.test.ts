import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QTY_SCALE, type Price, type Qty, type Side } from '../../../src/engine/units.js';
import { EmuAccount, buyReserve, formatDollars } from '../../../src/live/emulator/account.js';
import type { EmuOrder } from '../../../src/live/emulator/emu-order.js';

const SYMBOLS = ['AAA', 'BBB', 'CCC'] as const;
/** One dollar in the account's exact units (price unit x qty unit). */
const DOLLAR = 10_000n * BigInt(QTY_SCALE);

function openOrder(symbol: string, side: Side, qty: Qty, limitPrice: Price | null, filledQty = 0, status: EmuOrder['status'] = 'new'): EmuOrder {
  return {
    id: `${symbol}-${side}-${qty}-${limitPrice}`,
    clientOrderId: `c-${symbol}-${side}-${qty}-${limitPrice}`,
    symbol,
    side,
    type: limitPrice === null ? 'market' : 'limit',
    timeInForce: 'day',
    qty,
    limitPrice,
    extendedHours: false,
    status,
    filledQty,
    filledNotional: 0,
    createdAt: 0,
    updatedAt: 0,
    filledAt: null,
    canceledAt: null,
    failedAt: null,
    replacedAt: null,
    replacedBy: null,
    replaces: null,
    rejectReason: null,
  };
}

const symbolArb = fc.constantFrom(...SYMBOLS);
/** Quantities in whole and fractional shares (exact Qty units), up to 500 shares. */
const qtyArb = fc.oneof(fc.integer({ min: 1, max: 500 }).map((n) => n * QTY_SCALE), fc.integer({ min: 1, max: 500 * QTY_SCALE }));
/** Prices on the cent grid from $1 to $300. */
const priceArb = fc.integer({ min: 100, max: 30_000 }).map((c) => c * 100);
const orderArb = fc.record({ symbol: symbolArb, side: fc.constantFrom<Side>('buy', 'sell'), qty: qtyArb, limit: priceArb, improve: fc.integer({ min: 0, max: 500 }) });

describe('emulator account arithmetic', () => {
  it('fills conserve cash + signed fill notional exactly; no sell takes a position below zero; buying power and cash never go negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }).map((d) => d * 10_000),
        fc.dictionary(symbolArb, qtyArb),
        fc.array(orderArb, { maxLength: 40 }),
        (cash, positions, orders) => {
          const acct = new EmuAccount('cash', cash, positions, () => 5_000_00);
          // The oracle: cash and positions as plain sums of what was filled.
          let expectCash = BigInt(cash) * BigInt(QTY_SCALE);
          const expectQty = new Map<string, number>(SYMBOLS.map((s) => [s, positions[s] ?? 0]));
          const ask = (): Price => 0; // limit orders only here: the ask does not enter
          for (const o of orders) {
            const req = { symbol: o.symbol, side: o.side, qty: o.qty, limitPrice: o.limit };
            const refusal = acct.check(req, [], ask);
            const held = expectQty.get(o.symbol)!;
            if (o.side === 'sell') expect(refusal === null).toBe(o.qty <= held);
            else expect(refusal === null).toBe(BigInt(o.qty) * BigInt(o.limit) <= expectCash);
            if (refusal !== null) {
              expect(refusal.status).toBe(403);
              continue;
            }
            // A limit order fills at its limit or better (a buy lower, a sell higher).
            const price = o.side === 'buy' ? Math.max(100, o.limit - o.improve * 100) : o.limit + o.improve * 100;
            acct.applyFill(o.symbol, o.side, o.qty, price);
            const signed = o.side === 'buy' ? o.qty : -o.qty;
            expectCash -= BigInt(signed) * BigInt(price);
            expectQty.set(o.symbol, held + signed);
            expect(acct.cash()).toBe(expectCash);
            expect(acct.cash() >= 0n).toBe(true);
            for (const s of SYMBOLS) {
              expect(acct.holding(s).qty).toBe(expectQty.get(s));
              expect(acct.holding(s).qty).toBeGreaterThanOrEqual(0);
            }
            expect(acct.buyingPower([], ask) >= 0n).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('open buys reserve at their limit (market: ask + 4%); open sells hold their shares; an order being replaced counts once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500_000 }).map((d) => d * 10_000),
        fc.array(fc.record({ symbol: symbolArb, side: fc.constantFrom<Side>('buy', 'sell'), qty: qtyArb, limit: fc.option(priceArb, { nil: null }), filledShare: fc.integer({ min: 0, max: 3 }) }), { maxLength: 8 }),
        priceArb,
        (cash, specs, askPrice) => {
          const acct = new EmuAccount('cash', cash, { AAA: 1000 * QTY_SCALE });
          const open = specs.map((s) => openOrder(s.symbol, s.side, s.qty, s.limit, Math.floor((s.qty * s.filledShare) / 4)));
          const ask = (): Price => askPrice;
          let reserved = 0n;
          let heldAAA = 0;
          for (const o of open) {
            const rem = BigInt(o.qty - o.filledQty);
            if (o.side === 'buy') reserved += o.limitPrice !== null ? rem * BigInt(o.limitPrice) : rem * BigInt(askPrice) + (rem * BigInt(askPrice) * 4n + 99n) / 100n;
            else if (o.symbol === 'AAA') heldAAA += o.qty - o.filledQty;
          }
          const cashUnits = BigInt(cash) * BigInt(QTY_SCALE);
          const want = cashUnits - reserved > 0n ? cashUnits - reserved : 0n;
          expect(acct.buyingPower(open, ask)).toBe(want);
          expect(acct.sellAvailable('AAA', open)).toBe(Math.max(0, 1000 * QTY_SCALE - heldAAA));
          // An order in pending_replace is stood in for by its replacement: not reserved twice.
          const replaced = open.map((o) => ({ ...o, status: 'pending_replace' as const }));
          expect(acct.buyingPower([...open, ...replaced], ask)).toBe(want);
        },
      ),
    );
  });

  it('refuses as Alpaca does: a sell above what is available, a buy above buying power, a market buy with no quote', () => {
    const acct = new EmuAccount('cash', 1_000 * 10_000, { AAA: 10 * QTY_SCALE });
    const open = [openOrder('AAA', 'sell', 4 * QTY_SCALE, 50_0000)];
    const sell = acct.check({ symbol: 'AAA', side: 'sell', qty: 7 * QTY_SCALE, limitPrice: 50_0000 }, open, () => null);
    expect(sell).toMatchObject({ status: 403, code: 40310000, message: 'insufficient qty available for order (requested: 7, available: 6)', extra: { available: '6', existing_qty: '10', held_for_orders: '4', symbol: 'AAA' } });
    expect(acct.check({ symbol: 'AAA', side: 'sell', qty: 6 * QTY_SCALE, limitPrice: 50_0000 }, open, () => null)).toBeNull();
    expect(acct.check({ symbol: 'BBB', side: 'sell', qty: 1, limitPrice: 50_0000 }, open, () => null)?.message).toBe('insufficient qty available for order (requested: 0.000000001, available: 0)');
    // $1,000 buys 20 at $50 exactly, not 20.000000001.
    expect(acct.check({ symbol: 'BBB', side: 'buy', qty: 20 * QTY_SCALE, limitPrice: 50_0000 }, open, () => null)).toBeNull();
    expect(acct.check({ symbol: 'BBB', side: 'buy', qty: 20 * QTY_SCALE + 1, limitPrice: 50_0000 }, open, () => null)).toMatchObject({ status: 403, message: 'insufficient buying power', extra: { buying_power: '1000.00', cost_basis: '1000.01' } });
    // A market buy is valued at the ask + 4%: 19 x $50 x 1.04 = $988 passes, 20 x ... = $1,040 does not.
    expect(acct.check({ symbol: 'BBB', side: 'buy', qty: 19 * QTY_SCALE, limitPrice: null }, open, () => 50_0000)).toBeNull();
    expect(acct.check({ symbol: 'BBB', side: 'buy', qty: 20 * QTY_SCALE, limitPrice: null }, open, () => 50_0000)?.message).toBe('insufficient buying power');
    expect(acct.check({ symbol: 'BBB', side: 'buy', qty: QTY_SCALE, limitPrice: null }, open, () => null)?.message).toBe('insufficient buying power');
    expect(buyReserve(QTY_SCALE, null, null)).toBeNull();
    // The original margin account checks nothing (single-order runs short and buy as before).
    const margin = new EmuAccount('margin', 1_000 * 10_000);
    expect(margin.check({ symbol: 'AAA', side: 'sell', qty: 500 * QTY_SCALE, limitPrice: null }, [], () => null)).toBeNull();
    expect(margin.buyingPower([], () => null)).toBe(2n * 1_000n * DOLLAR);
  });

  it('keeps the average entry price through sells and reopens through zero at the fill price', () => {
    const acct = new EmuAccount('margin', 100_000 * 10_000);
    acct.applyFill('AAA', 'buy', 10 * QTY_SCALE, 10_0000);
    acct.applyFill('AAA', 'buy', 10 * QTY_SCALE, 20_0000);
    expect(acct.holding('AAA')).toEqual({ qty: 20 * QTY_SCALE, cost: 300n * DOLLAR });
    acct.applyFill('AAA', 'sell', 5 * QTY_SCALE, 40_0000);
    expect(acct.holding('AAA')).toEqual({ qty: 15 * QTY_SCALE, cost: 225n * DOLLAR }); // still $15 each
    acct.applyFill('AAA', 'sell', 20 * QTY_SCALE, 30_0000);
    expect(acct.holding('AAA')).toEqual({ qty: -5 * QTY_SCALE, cost: -150n * DOLLAR }); // short 5 at $30
    expect(acct.heldSymbols()).toEqual(['AAA']);
    acct.applyFill('AAA', 'buy', 5 * QTY_SCALE, 30_0000);
    expect(acct.holding('AAA')).toEqual({ qty: 0, cost: 0n });
    expect(acct.heldSymbols()).toEqual([]);
  });

  it('formats Alpaca money strings exactly, rounding as asked', () => {
    expect(formatDollars(100_000n * DOLLAR)).toBe('100000.00');
    expect(formatDollars(DOLLAR / 200n)).toBe('0.01'); // half a cent rounds away from zero
    expect(formatDollars(DOLLAR / 200n - 1n)).toBe('0.00');
    expect(formatDollars(-DOLLAR / 200n)).toBe('-0.01');
    expect(formatDollars(DOLLAR + 1n, 'floor')).toBe('1.00');
    expect(formatDollars(DOLLAR + 1n, 'ceil')).toBe('1.01');
    expect(formatDollars(-1n, 'floor')).toBe('-0.01');
    expect(formatDollars(-1n, 'ceil')).toBe('0.00');
  });
});

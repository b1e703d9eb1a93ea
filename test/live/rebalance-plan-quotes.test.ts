/** The live rebalance plans from one valid quote of every symbol, waiting for a quiet name's next one. */
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../src/engine/quote.js';
import { planQuotes } from '../../src/live/rebalance/plan-quotes.js';

const rules = { AAA: { maxQuoteAgeMs: 5_000, quoteWaitMs: 30_000 }, BBB: { maxQuoteAgeMs: 5_000, quoteWaitMs: 10_000 } };
const q = (time: number): Quote => ({ time, bid: 10_000, ask: 10_100, bidSize: 1, askSize: 1 });

/** A venue clock that moves `step` ms per sleep; BBB's quote is stale until `freshAt`. */
function source(freshAt: number, step = 1_000) {
  let now = 100_000;
  return {
    latest: async (s: string) => (s === 'BBB' && now < freshAt ? q(now - 20_000) : q(now)),
    now: () => now,
    sleep: async () => void (now += step),
  };
}

describe('planQuotes', () => {
  it('waits for a stale symbol\'s fresh quote, then prices every symbol at that moment', async () => {
    const got = await planQuotes(source(104_000), ['AAA', 'BBB'], rules, 0);
    expect(got).toEqual({ quotes: { AAA: q(104_000), BBB: q(104_000) } });
  });
  it('gives up after the longest quoteWaitMs, naming the symbol and why', async () => {
    const got = await planQuotes(source(1e12), ['AAA', 'BBB'], rules, 0);
    expect('problem' in got && got.problem).toMatch(/^BBB: .*\(waited 30000 ms\)$/);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTape } from '../../src/sim/tape/load-tape.js';
import { lastIndexAtOrBefore } from '../../src/sim/tape/tape.js';
import { hasRealData, REAL_DATA, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const AIG = join(REAL_DATA, 'equity', 'usa', 'tick', 'aig', '20131007_quote.zip');
const suite = hasRealData ? describe : describe.skip;

interface JsonFill { time: number; price: number; qty: number }
interface JsonChild { type: string; limitPrice: number | null; submittedAt: number; fills: JsonFill[] }
interface JsonExecution { strategy: string; side: string; qty: number; filledQty: number; outcome: string; childOrders: JsonChild[] }

suite(`backtest on the real AIG 2013-10-07 open (${hasRealData ? 'present' : 'skipped: ../shared/data/quotes is absent'})`, () => {
  const args = ['backtest', '--tape', AIG, '--side', 'buy', '--qty', '500', '--json'];

  it('runs all four strategies, every fill consistent with the tape, identically twice', async () => {
    const dir = tempDir();
    const first = await runInProcess([...args, '--db', join(dir, 'a.db')]);
    expect(first.stderr).toBe('');
    const out = JSON.parse(first.stdout) as { executions: JsonExecution[] };
    expect(out.executions.map((e) => e.strategy)).toEqual(['ladder', 'market', 'progressive', 'passive']);

    const quotes = loadTape(AIG).quotes;
    let fills = 0;
    for (const e of out.executions) {
      expect(e.outcome).toBe('filled');
      const total = e.childOrders.flatMap((c) => c.fills).reduce((s, f) => s + f.qty, 0);
      expect(total).toBeCloseTo(e.filledQty, 9);
      expect(e.filledQty).toBeLessThanOrEqual(e.qty);
      for (const child of e.childOrders) {
        for (const f of child.fills) {
          fills++;
          const price = Math.round(f.price * 10_000);
          // Never before the order was sent (it also needs the submit latency to arrive).
          expect(f.time).toBeGreaterThan(child.submittedAt);
          // Within the limit.
          if (child.limitPrice !== null) expect(price).toBeLessThanOrEqual(Math.round(child.limitPrice * 10_000));
          // Never through the bid prevailing at the fill (a buy below the bid would be a gift from the tape).
          const qi = lastIndexAtOrBefore(quotes.time, quotes.length, f.time);
          expect(qi).toBeGreaterThanOrEqual(0);
          expect(price).toBeGreaterThanOrEqual(quotes.bid[qi]!);
        }
      }
    }
    expect(fills).toBeGreaterThan(4);

    const second = await runInProcess([...args, '--db', join(dir, 'b.db')]);
    expect((JSON.parse(second.stdout) as { executions: unknown }).executions).toEqual(out.executions);
  });
});

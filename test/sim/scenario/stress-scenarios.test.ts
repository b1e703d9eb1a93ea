import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/sim/plan/build-plan.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { runBacktest } from '../../../src/sim/backtest.js';
import { loadScenario } from '../../../src/sim/scenario/load-scenario.js';
import { lastIndexAtOrBefore, quoteAt, type Tape } from '../../../src/sim/tape/tape.js';

const SCENARIOS = resolve(import.meta.dirname, '..', '..', '..', 'scenarios');

/**
 * The ladder on the stress scenarios: it waits, fails with a reason or completes, and never sends
 * an order while the quote it prices from (the one prevailing at that moment) is invalid.
 */
describe.each(['bad-quotes', 'halt'])('the ladder on the %s scenario', (name) => {
  it('never orders from an invalid quote and always ends with an outcome', () => {
    const plan = buildPlan(loadScenario(join(SCENARIOS, `${name}.json`)), { strategies: 'ladder' });
    const tapes = new Map<string, Tape>();
    const withTapes = { ...plan, tapes: plan.tapes.map((s) => ({ label: s.label, load: () => { const t = s.load(); tapes.set(`${t.symbol}|${t.date}`, t); return t; } })) };
    const reports = runBacktest(withTapes);
    expect(reports.length).toBeGreaterThan(20);
    let children = 0;
    let waited = 0;
    for (const r of reports) {
      const tape = tapes.get(`${r.symbol}|${r.date}`)!;
      const maxAge = strategySettings('ladder', plan.config, r.symbol).maxQuoteAgeMs;
      expect(['filled', 'partial', 'failed']).toContain(r.outcome);
      if (r.outcome !== 'filled') expect(r.reason).toMatch(/\S/);
      expect(r.filledQty).toBeLessThanOrEqual(r.qty);
      if (r.events.some((e) => e.kind === 'await-quote')) waited++;
      for (const c of r.childOrders) {
        children++;
        const qi = lastIndexAtOrBefore(tape.quotes.time, tape.quotes.length, c.submittedAt);
        expect(qi).toBeGreaterThanOrEqual(0);
        // The validity rule restated here, independently of the engine's quoteProblem.
        const q = quoteAt(tape.quotes, qi);
        expect(q.bid > 0 && q.ask > q.bid && c.submittedAt - q.time <= maxAge, `${r.executionId} ${c.clientOrderId} sent on ${JSON.stringify(q)}`).toBe(true);
      }
    }
    expect(children).toBeGreaterThan(0);
    // The scenario must actually stress the ladder: some executions had to wait for a usable quote.
    expect(waited).toBeGreaterThan(0);
  });
});

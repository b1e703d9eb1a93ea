import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/sim/plan/build-plan.js';
import { parseClock } from '../../../src/engine/et-time.js';
import { quoteProblem } from '../../../src/engine/quote.js';
import { runBacktest } from '../../../src/sim/backtest.js';
import { loadScenario, ScenarioError } from '../../../src/sim/scenario/load-scenario.js';
import { TQQQ_LIKE } from '../../../src/sim/synthetic/index.js';
import { lastIndexAtOrBefore, quoteAt } from '../../../src/sim/tape/tape.js';
import type { Tape } from '../../../src/sim/tape/tape.js';
import { REPO_ROOT, tempDir } from '../../cli/run-cli.js';
import { runInProcess } from '../../cli/run-in-process.js';

const NAMES = ['wide-open', 'gap-and-run', 'reversal', 'thin-quotes', 'bad-quotes'] as const;
const file = (name: string) => resolve(REPO_ROOT, 'scenarios', `${name}.json`);

describe.each(NAMES)('scenario %s', (name) => {
  it('validates, and covers several synthetic shaped days, both sides, two sizes and times around the open', async () => {
    const s = loadScenario(file(name));
    expect(s.name).toBe(name);
    expect(s.description).toMatch(/^Stresses [^\n]+$/);
    if (!('synthetic' in s.data)) throw new Error('expected synthetic data');
    expect(s.data.synthetic.shape).toBeDefined();
    expect(s.data.synthetic.days).toBeGreaterThanOrEqual(5);
    expect([...s.orders.sides].sort()).toEqual(['buy', 'sell']);
    expect(s.orders.quantities).toHaveLength(2);
    expect(s.orders.decisionTimes.length).toBeGreaterThanOrEqual(3);
    for (const t of s.orders.decisionTimes) {
      expect(parseClock(t)).toBeGreaterThanOrEqual(parseClock('09:29:00'));
      expect(parseClock(t)).toBeLessThanOrEqual(parseClock('09:40:00'));
    }
  });

  it('runs through the CLI', async () => {
    const r = await runInProcess(['backtest', '--scenario', file(name), '--db', join(tempDir(), 'run.db')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${name}: 384 executions on 6 open\\(s\\), seed 1, liquidity conservative\\n`));
  });
});

describe('bad-quotes: no order is ever sent from an invalid or stale quote', () => {
  it('every child order of every strategy is submitted while a valid, fresh quote prevails', async () => {
    const scenario = loadScenario(file('bad-quotes'));
    const plan = buildPlan(scenario, {});
    const tapes = new Map<string, Tape>();
    const reports = runBacktest({ ...plan, tapes: plan.tapes.map((t) => ({ label: t.label, load: () => { const tape = t.load(); tapes.set(tape.date, tape); return tape; } })) });
    const maxAge = plan.config.ladder.maxQuoteAgeMs;
    const offenders: string[] = [];
    let children = 0;
    let waits = 0;
    for (const r of reports) {
      const q = tapes.get(r.date)!.quotes;
      waits += r.events.filter((e) => e.kind === 'await-quote').length;
      for (const c of r.childOrders) {
        children++;
        const i = lastIndexAtOrBefore(q.time, q.length, c.submittedAt);
        const problem = i < 0 ? 'missing' : quoteProblem(quoteAt(q, i), c.submittedAt, maxAge);
        if (problem !== null) offenders.push(`${r.executionId} ${c.clientOrderId}: ${problem}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(children).toBeGreaterThanOrEqual(reports.length);
    // The shape bites: executions had to wait for a usable quote.
    expect(waits).toBeGreaterThan(20);
  });
});

describe('scenario plumbing for synthetic profiles and shapes', () => {
  it('resolves a profile file relative to the scenario and runs it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'profiles'));
    writeFileSync(join(dir, 'profiles', 'calm.json'), JSON.stringify({ ...TQQQ_LIKE, name: 'calm-like', dailyVolatility: 0.01 }));
    const scenarioFile = join(dir, 'calm.json');
    writeFileSync(scenarioFile, JSON.stringify({
      name: 'calm',
      data: { synthetic: { profile: 'profiles/calm.json', startDate: '2024-03-04', days: 2, shape: { gapBps: -50 } } },
    }));
    const s = loadScenario(scenarioFile);
    expect('synthetic' in s.data && s.data.synthetic.profile).toBe(join(dir, 'profiles', 'calm.json'));
    expect(buildPlan(s, {}).tapes.map((t) => t.label)).toEqual(['synthetic calm-like 2024-03-04', 'synthetic calm-like 2024-03-05']);
    const r = await runInProcess(['backtest', '--scenario', scenarioFile, '--db', join(dir, 'run.db')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^calm: 8 executions on 2 open\(s\)/);
  });

  it('names the bad field of a shape, and a missing profile file, in one line', async () => {
    const dir = tempDir();
    const write = (name: string, synthetic: object) => {
      const f = join(dir, `${name}.json`);
      writeFileSync(f, JSON.stringify({ name, data: { synthetic: { startDate: '2024-03-04', days: 1, ...synthetic } } }));
      return f;
    };
    const kinds = write('kinds', { profile: 'tqqq-like', shape: { badQuotes: { kinds: ['zero-mid'] } } });
    expect(() => loadScenario(kinds)).toThrow(ScenarioError);
    expect(() => loadScenario(kinds)).toThrow(`${kinds}: data.synthetic.shape.badQuotes.kinds.0: Invalid option`);
    const rev = write('rev', { profile: 'tqqq-like', shape: { reversalAfterSeconds: 10 } });
    expect(() => loadScenario(rev)).toThrow(`${rev}: data.synthetic.shape.reversalAfterSeconds: needs trendBpsPerMinute`);
    const typo = write('typo', { profile: 'tqqq-like', shape: { gap: 10 } });
    expect(() => loadScenario(typo)).toThrow(`${typo}: data.synthetic.shape.gap: unknown field`);
    const missing = write('missing', { profile: 'nowhere.json' });
    const r = await runInProcess(['backtest', '--scenario', missing, '--db', join(dir, 'run.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`better-orders: scenario missing: profile ${join(dir, 'nowhere.json')}: cannot read (ENOENT)\n`);
  });
});

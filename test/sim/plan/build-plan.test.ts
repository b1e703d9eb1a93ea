import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlanFor, planScenario } from '../../../src/sim/plan/build-plan.js';
import { NothingToRun, PlanInputError } from '../../../src/sim/plan/plan-errors.js';
import { REPO_ROOT, tempDir } from '../../cli/run-cli.js';

const DEFAULT = join(REPO_ROOT, 'scenarios', 'default.json');

describe('the library plan builder', () => {
  it('plans the default scenario with the overrides applied', () => {
    const { scenario, data } = buildPlanFor({ defaultScenario: DEFAULT }, { date: '2024-03-05', side: 'sell', qty: '2.5', at: '09:31:00', liquidity: 'nominal,conservative' });
    expect(scenario.name).toBe('default');
    expect(data.tapeSpecs).toHaveLength(1);
    expect(data).toMatchObject({ sides: ['sell'], quantities: [2_500_000_000], decisionTimes: ['09:31:00'], liquidity: ['nominal', 'conservative'] });
  });

  it('puts tapes given without a scenario in a blank one, so the documented defaults apply', () => {
    const scenario = planScenario({ defaultScenario: DEFAULT, tapes: ['x/aig/20131007_quote.zip'] });
    expect(scenario.name).toBe('command line');
    expect(scenario.orders).toMatchObject({ sides: ['buy'], decisionTimes: ['09:30:00'] });
  });

  it('refuses bad inputs with one line naming the option, and a source with nothing to plan', () => {
    expect(() => planScenario({})).toThrow(PlanInputError);
    expect(() => planScenario({ defaultScenario: DEFAULT, widen: 'peak=nope' })).toThrow(/^--widen peak=nope: /);
    expect(() => buildPlanFor({ defaultScenario: DEFAULT }, { qty: '-1' })).toThrow(new PlanInputError('--qty: expected a positive number of shares (up to 9 decimals), got "-1"'));
    expect(() => buildPlanFor({ defaultScenario: DEFAULT }, { symbol: 'SPY' })).toThrow(/--symbol SPY: none of the 20 tape\(s\) of scenario default match/);
  });

  it('hands a note to the caller for missing optional tapes, and NothingToRun when all are missing', () => {
    const dir = tempDir();
    const file = join(dir, 'some-missing.json');
    writeFileSync(file, JSON.stringify({ name: 'partial', data: { ifMissing: 'skip', tapes: [DEFAULT, join(dir, 'absent_quote.zip')] } }));
    // Any existing file stands for a present tape: the plan names its tapes, it does not read them.
    const notes: string[] = [];
    expect(buildPlanFor({ scenarioFile: file }, { onNote: (l) => notes.push(l) }).data.tapeSpecs).toHaveLength(1);
    expect(notes).toEqual(['partial: 1 of 2 tape(s) missing; running the rest']);
    writeFileSync(file, JSON.stringify({ name: 'none', data: { ifMissing: 'skip', tapes: [join(dir, 'absent_quote.zip')] } }));
    expect(() => buildPlanFor({ scenarioFile: file }, {})).toThrow(NothingToRun);
  });
});

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError } from '../../../src/sim/scenario/load-scenario.js';

const SCENARIOS = resolve(import.meta.dirname, '..', '..', '..', 'scenarios');

describe('scenarios', () => {
  it.each(readdirSync(SCENARIOS).filter((f) => f.endsWith('.json')))('%s validates', (file) => {
    expect(() => loadScenario(join(SCENARIOS, file))).not.toThrow();
  });

  it('resolves tape paths against the scenario file and fills defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bo-scenario-'));
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify({ name: 's', data: { tapes: ['tapes/a.csv', '/abs/b.csv'] } }));
    const s = loadScenario(file);
    expect(s.data).toEqual({ tapes: [join(dir, 'tapes', 'a.csv'), '/abs/b.csv'], ifMissing: 'error' });
    expect(s.orders).toEqual({ sides: ['buy'], quantities: [100], decisionTimes: ['09:30:00'] });
    expect(s.strategies).toEqual(['ladder', 'market', 'progressive', 'passive']);
  });

  it('names the file and the field in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bo-scenario-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 's', data: { tapes: ['a.csv'] }, orders: { sides: ['hold'] } }));
    expect(() => loadScenario(file)).toThrow(new ScenarioError(`${file}: orders.sides.0: Invalid option: expected one of "buy"|"sell"`));
    writeFileSync(file, JSON.stringify({ name: 's', data: { tapes: ['a.csv'] }, sides: ['buy'] }));
    expect(() => loadScenario(file)).toThrow(`${file}: sides: unknown field`);
    writeFileSync(file, '{');
    expect(() => loadScenario(file)).toThrow(/not valid JSON/);
    expect(() => loadScenario(join(dir, 'missing.json'))).toThrow(/cannot read scenario \(ENOENT\)/);
  });
});

/**
 * Arbitrary events: quotes with any prices and ages, fills for any id and any quantity (zero,
 * negative, beyond the child's remaining), acks, cancels, rejects, cancel-rejects, replaced and
 * replace-rejected reports for children that never asked for them or do not exist, timers early,
 * late, superseded or unknown. The machine must stay safe whatever a broken driver or broker
 * feeds it. Scenarios draw both re-peg modes; replace-properties.test.ts focuses on replace.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/engine/config.js';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { startExecution, stepExecution } from '../../../src/engine/execution/step.js';
import { strategySettings } from '../../../src/engine/strategies/strategy-settings.js';
import { adversarialCommands, adversarialSetupArb } from './adversarial-commands.js';
import { assertModelRun } from './model-run.js';

describe('execution under arbitrary events', () => {
  it('stays safe: invariants 1-7, 9, 10 and 11 hold after every event', () => {
    assertModelRun([1, 2, 3, 4, 5, 6, 7, 9, 10, 11], { numRuns: 1000, commands: adversarialCommands, setups: adversarialSetupArb });
  });

  it('stays live: after any arbitrary prefix, a timer is armed and firing it ends the execution (invariant 8)', () => {
    assertModelRun([8], { numRuns: 1000, commands: adversarialCommands, setups: adversarialSetupArb });
  });
});

describe('malformed broker numbers', () => {
  it('does not count a NaN fill quantity', () => {
    const settings = strategySettings('market', DEFAULT_CONFIG, 'TQQQ');
    const t = etClockToEpoch('2024-03-04', '10:00:00');
    const quote = { time: t, bid: 600_000, ask: 600_100, bidSize: 100, askSize: 100 };
    const first = startExecution({ executionId: 'n', side: 'buy', qty: 100e9, decisionTime: t, quote }, settings);
    const next = stepExecution(first.state, { type: 'fill', time: t + 5, clientOrderId: 'n:1', qty: Number.NaN, price: 600_100 }, settings);
    expect(next.state.filledQty).toBe(0);
    expect(next.actions.some((a) => a.kind === 'alert')).toBe(true);
  });
});

/**
 * Issue 9 under faults, through the built CLI against the loopback emulator: with
 * `http5xx=0.3,http429=0.2` over seeds (on a synthetic open, and on the real IBM tape when
 * present) and with reset-after-accept plus lookup-lag, every run ends within a bound, leaves
 * nothing working at the broker that its output does not name, and records what the broker filled.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTape } from '../../src/sim/tape/load-tape.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { executeAgainst, expectFailSafe, tape } from './execute-emulator-run.js';
import { REAL_DATA, hasRealData } from './run-cli.js';

// Concurrent: each test has its own emulator on its own port and mostly waits on the replay clock.
describe.concurrent('execute under faults, end to end (findings 1-3, 5, 9)', () => {
  // Seed 19 is the one of the issue (lookups failed five times and the error escaped).
  for (const seed of ['19', '12']) {
    it(`http5xx=0.3,http429=0.2 seed ${seed}, buy 2000: bounded, nothing working unnamed, the record equals the broker`, async () => {
      const run = await executeAgainst({ tape, startEt: '09:36:00', speed: 10, faults: 'http5xx=0.3,http429=0.2', seed }, ['--side', 'buy', '--qty', '2000']);
      expect(run.wallMs).toBeLessThan(45_000);
      expectFailSafe(run);
    }, 60_000);
  }

  it('reset-after-accept with lookup-lag=1500: the ambiguous POST is found, never duplicated', async () => {
    const run = await executeAgainst({ tape, startEt: '09:36:00', speed: 5, faults: 'reset-after-accept=1,lookup-lag=1500' }, ['--side', 'sell', '--qty', '500', '--execution-id', 'lagged']);
    expect(run.audit[0]).toMatchObject({ clientOrderId: 'lagged:1', httpStatus: 0 });
    expectFailSafe(run);
    expect(run.r.status).toBe(0);
  }, 60_000);

  const realIbm = join(REAL_DATA, 'equity', 'usa', 'tick', 'ibm', '20131007_quote.zip');
  const real = hasRealData ? it : it.skip;
  if (!hasRealData) console.warn(`skipping the real-tape fault runs: ${REAL_DATA} is absent`);
  // The run of the issue: IBM's real open from 09:35, a sell of 5,000 (the market fallback fills
  // over many quotes at the real tape's sizes, so the replay runs at 20x).
  for (const seed of ['19']) {
    real(`real IBM 2013-10-07 from 09:35, sell 5000 under http5xx=0.3,http429=0.2 seed ${seed}: bounded, nothing working unnamed, the record equals the broker`, async () => {
      const ibm: Tape = loadTape(realIbm);
      const run = await executeAgainst({ tape: ibm, startEt: '09:35:00', speed: 20, faults: 'http5xx=0.3,http429=0.2', seed }, ['--side', 'sell', '--qty', '5000']);
      expect(run.wallMs).toBeLessThan(45_000);
      expectFailSafe(run);
    }, 60_000);
  }
});

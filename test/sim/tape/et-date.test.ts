import { describe, expect, it } from 'vitest';
import { etMidnightMs } from '../../../src/sim/tape/et-date.js';
import { expectTapeError } from './fixtures.js';

describe('etMidnightMs', () => {
  it('uses America/New_York midnight, DST-correct', () => {
    expect(etMidnightMs('2013-10-07', 'f')).toBe(Date.parse('2013-10-07T04:00:00Z')); // EDT
    expect(etMidnightMs('2014-01-06', 'f')).toBe(Date.parse('2014-01-06T05:00:00Z')); // EST
    // 09:30 ET is 34,200,000 ms after midnight ET on a trading day.
    expect(etMidnightMs('2013-10-07', 'f') + 34_200_000).toBe(Date.parse('2013-10-07T13:30:00Z'));
  });
  it('rejects a date that is not YYYY-MM-DD or not real', () => {
    expectTapeError(() => etMidnightMs('20131007', 'f.zip'), 'f.zip', null, 'invalid date "20131007"');
    expectTapeError(() => etMidnightMs('2013-02-30', 'f.zip'), 'f.zip', null, 'invalid date');
  });
});

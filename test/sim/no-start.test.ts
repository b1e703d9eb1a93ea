import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import { whyNothingStarted } from '../../src/sim/no-start.js';

/** Only the fields whyNothingStarted reads matter; the rest is filler. */
const report = (reason: string | null, sentOrder = false): ExecutionReport =>
  ({ outcome: reason === null ? 'filled' : 'failed', reason, childOrders: sentOrder ? [{}] : [] }) as unknown as ExecutionReport;

describe('whyNothingStarted', () => {
  it('is null as soon as one execution sent an order', () => {
    expect(whyNothingStarted([report('market closed on 2024-03-09 (weekend)'), report('no valid quote within 30000 ms (last quote stale)', true)])).toBeNull();
  });

  it('lists the distinct reasons with their counts, most frequent first, one day or a span of days', () => {
    const reports = [
      ...['2024-03-04', '2024-03-05', '2024-03-06'].flatMap((d) => [report(`decision at or after the close on ${d}`), report(`decision at or after the close on ${d}`)]),
      report('market closed on 2024-03-09 (weekend)'),
    ];
    expect(whyNothingStarted(reports)).toBe(
      'no execution could start: none of the 7 executions sent an order (6 x decision at or after the close on 3 days 2024-03-04..2024-03-06; 1 x market closed on 2024-03-09 (weekend))',
    );
  });

  it('keeps to a few reasons and says how many more there are', () => {
    const reports = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => report(`reason ${x}`));
    expect(whyNothingStarted(reports)).toMatch(/\(1 x reason a; 1 x reason b; 1 x reason c; 1 x reason d; and 2 more reasons\)$/);
  });

  it('says so for a plan without executions', () => {
    expect(whyNothingStarted([])).toBe('no execution could start: the plan has no executions');
  });
});

import type { TuneReport } from '../tune/select.js';
import type { CostSummary } from '../tune/types.js';
import type { FrontierMark, SweepSection } from './report-sections.js';

const num = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : x === Infinity ? 'never' : '-');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ci = (c: readonly [number, number] | null): string => (c === null ? '' : ` [${num(c[0])}, ${num(c[1])}]`);

function mark(label: string, role: FrontierMark['role'], s: { readonly mean?: number; readonly meanCostBps?: number; readonly p95Seconds: number }): FrontierMark {
  return { label, role, meanCostBps: s.mean ?? s.meanCostBps ?? Number.NaN, p95Seconds: s.p95Seconds };
}

/**
 * A sweep as report data: for each liquidity model, the cost/time frontier on the training opens
 * with the winner, the default and the baselines marked, and the verdict on the test opens as a
 * table. A point whose p95 is "never" (over 5% unfilled) cannot sit on the time axis: the notes
 * name it instead.
 */
export function sweepSection(report: TuneReport, sweepId: number): SweepSection {
  const notes: string[] = [];
  const models = Object.values(report.byLiquidity).map((v) => {
    const all: FrontierMark[] = [
      ...v.frontier.map((p) => mark(p.label, 'frontier', p)),
      mark(`winner #${report.winner.index}`, 'winner', v.winner.train),
      mark('default', 'default', v.default.train),
      ...Object.entries(v.baselines).map(([name, b]) => mark(name, 'baseline', b.train)),
    ];
    const unplaced = all.filter((m) => !Number.isFinite(m.p95Seconds) || !Number.isFinite(m.meanCostBps));
    if (unplaced.length > 0) notes.push(`${v.liquidity}: not on the chart (p95 never reached: more than 5% unfilled): ${[...new Set(unplaced.map((m) => m.label))].join(', ')}`);
    return { liquidity: v.liquidity, marks: all.filter((m) => !unplaced.includes(m)) };
  });
  const rows: string[][] = [];
  const row = (liquidity: string, who: string, s: CostSummary, vsWinner: string): void => {
    rows.push([liquidity, who, `${num(s.mean)}${ci(s.meanCi95)}`, num(s.p95Seconds, 1), pct(s.fillRate), vsWinner]);
  };
  for (const v of Object.values(report.byLiquidity)) {
    row(v.liquidity, `winner #${report.winner.index}`, v.winner.test, '-');
    row(v.liquidity, 'default', v.default.test, `${num(v.default.pairedVsWinner.meanDiffBps)}${ci(v.default.pairedVsWinner.ci95)}`);
    for (const [name, b] of Object.entries(v.baselines)) row(v.liquidity, name, b.test, `${num(b.pairedVsWinner.meanDiffBps)}${ci(b.pairedVsWinner.ci95)}`);
  }
  for (const text of [report.split.warning, report.overfitWarning, report.fillRateWarning, report.underfill?.note ?? null, report.writeBlocked]) if (text) notes.push(text);
  const bound = report.maxP95Seconds === null ? 'no deadline' : `p95 time to complete within ${report.maxP95Seconds} s`;
  return {
    kind: 'sweep',
    title: `Sweep ${sweepId}`,
    subtitle: `objective ${report.objective}, ${bound}, winner chosen under ${report.liquidity.selection} on ${report.split.trainOpens.length} train opens; ${report.eligible} eligible candidates; verdict on ${report.split.testOpens.length} test opens`,
    models,
    table: { head: ['liquidity', 'who', 'test cost bps mean [95% CI]', 'test p95 s', 'test filled', 'minus winner bps [95% CI]'], rows },
    notes,
  };
}

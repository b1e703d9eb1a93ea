import Table from 'cli-table3';
import type { TrainTest, TuneReport } from '../analysis/tune/select.js';
import type { CostSummary, PairedComparison } from '../analysis/tune/types.js';
import type { SweepSpec } from './tune-sweep.js';

/** What the output says beside the report: where the sweep lives and what was written. */
export interface TuneContext {
  readonly sweepId: number;
  readonly db: string;
  readonly spec: SweepSpec;
  /** The winner as a config file (winnerConfig). */
  readonly config: unknown;
  readonly out: string | null;
}

/** The `--json` object; NaN (an empty subset) becomes null, as JSON has no NaN. */
export function tuneJson(report: TuneReport, c: TuneContext): unknown {
  return {
    sweepId: c.sweepId,
    db: c.db,
    objective: report.objective,
    candidates: c.spec.candidates.length,
    skipped: c.spec.skipped,
    split: report.split,
    winner: { index: report.winner.index, candidate: report.winner.candidate, config: c.config, train: report.winner.train, test: report.winner.test },
    default: report.default,
    market: report.market,
    vsDefault: report.vsDefault,
    vsMarket: report.vsMarket,
    overfitWarning: report.overfitWarning,
    fillRateWarning: report.fillRateWarning,
    ranking: report.ranking,
    out: c.out,
  };
}

const num = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '-');
const ci = (r: readonly [number, number] | null): string => (r === null ? '' : ` [${num(r[0])}, ${num(r[1])}]`);

function row(label: string, s: CostSummary): string[] {
  return [label, String(s.executions), num(s.objective), `${num(s.mean)}${ci(s.meanCi95)}`, pct(s.fillRate), pct(s.fallbackRate)];
}

function paired(p: PairedComparison): string {
  const verdict = p.ci95[1] < 0 ? 'cheaper' : p.ci95[0] > 0 ? 'dearer' : 'no clear difference';
  return `${num(p.meanDiffBps)} bps${ci(p.ci95)} on ${p.executions} test executions (${verdict})`;
}

function candidateLines(candidate: Readonly<Record<string, unknown>>): string[] {
  const entries = Object.entries(candidate);
  if (entries.length === 0) return ['  (no field changed: the base configuration)'];
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `  ${k.padEnd(width)}  ${JSON.stringify(v)}`);
}

/** The readable result: the winner, its honest (test) numbers, and what it beats. */
export function formatTuneSummary(report: TuneReport, c: TuneContext): string {
  const { spec } = c;
  const lines: string[] = [];
  const opens = new Set([...report.split.trainOpens, ...report.split.testOpens]).size;
  const skipped = spec.skipped > 0 ? ` (${spec.skipped} invalid skipped)` : '';
  lines.push(`sweep ${c.sweepId}: ${spec.candidates.length} configurations${skipped} on ${opens} open(s), objective ${report.objective} cost, seed ${spec.seed}`);
  lines.push(`split by open: train ${report.split.trainOpens.join(', ')}; test ${report.split.testOpens.join(', ')}`);
  if (report.split.warning !== null) lines.push(`note: ${report.split.warning}`);
  lines.push('', `winner: configuration #${report.winner.index}`, ...candidateLines(report.winner.candidate), '');
  const table = new Table({
    head: ['', 'orders', `${report.objective}\nbps`, 'mean bps\n[95% CI]', 'filled', 'fallback'],
    style: { head: [], border: [] },
  });
  const pairs: [string, TrainTest][] = [['winner', report.winner], ['default', report.default], ['market', report.market]];
  for (const [name, tt] of pairs) table.push(row(`${name} train`, tt.train));
  for (const [name, tt] of pairs) table.push(row(`${name} test`, tt.test));
  lines.push(table.toString());
  lines.push(`winner vs default (test, paired): ${paired(report.vsDefault)}`);
  lines.push(`winner vs market  (test, paired): ${paired(report.vsMarket)}`);
  lines.push(report.overfitWarning === null ? 'no sign of overfitting (test close to train, not worse than the default)' : `WARNING: ${report.overfitWarning}`);
  // A tail objective such as p90 can prefer a configuration that gives up on its worst orders.
  if (report.fillRateWarning !== null) lines.push(`WARNING: ${report.fillRateWarning}`);
  lines.push('cost: bps against the arrival mid, positive = paid; unfilled quantity is charged as if completed at the window end, never less than crossing at arrival.');
  lines.push(`recorded as sweep ${c.sweepId} in ${c.db}${c.out === null ? '' : `; winner configuration written to ${c.out}`}`);
  return `${lines.join('\n')}\n`;
}

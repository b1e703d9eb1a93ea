import Table from 'cli-table3';
import type { TuneReport } from '../analysis/tune/select.js';
import type { CostSummary } from '../analysis/tune/types.js';
import { BASELINE_NAMES, pairedVerdict, RIVAL_NAMES, type FrontierPoint, type ModelVerdict, type Rival, type RivalName } from '../analysis/tune/verdict.js';
import type { SweepSpec } from './tune-sweep.js';

/** What the output says beside the report: where the sweep lives and what was written. */
export interface TuneContext {
  /** Null for a merge that stored nothing (no --db). */
  readonly sweepId: number | null;
  readonly db: string | null;
  readonly spec: SweepSpec;
  /** The winner as a config file (winnerConfig). */
  readonly config: unknown;
  readonly out: string | null;
  readonly frontierOut: string | null;
  /** The shards a merge combined (for the readable summary), or null. */
  readonly mergedShards?: number | null;
}

/** The `--json` object. NaN (an empty subset, an unmeasured time) and Infinity (a p95 that never completes) become null, as JSON has neither. */
export function tuneJson(report: TuneReport, c: TuneContext): unknown {
  return {
    sweepId: c.sweepId,
    db: c.db,
    objective: report.objective,
    maxP95Seconds: report.maxP95Seconds,
    allowUnderfill: report.allowUnderfill,
    candidates: c.spec.candidates.length,
    skipped: c.spec.skipped,
    eligible: report.eligible,
    split: report.split,
    liquidity: report.liquidity,
    winner: { index: report.winner.index, candidate: report.winner.candidate, config: c.config, train: report.winner.train, test: report.winner.test },
    default: report.default,
    baselines: report.baselines,
    frontier: report.frontier,
    byLiquidity: report.byLiquidity,
    flips: report.flips,
    underfill: report.underfill,
    writeBlocked: report.writeBlocked,
    overfitWarning: report.overfitWarning,
    fillRateWarning: report.fillRateWarning,
    ranking: report.ranking,
    out: c.out,
    frontierOut: c.frontierOut,
  };
}

const num = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const secs = (x: number): string => (Number.isNaN(x) ? '-' : Number.isFinite(x) ? x.toFixed(1) : 'never');
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '-');
const ci = (r: readonly [number, number] | null): string => (r === null || !Number.isFinite(r[0]) ? '' : ` [${num(r[0])}, ${num(r[1])}]`);

function row(label: string, s: CostSummary): string[] {
  return [label, String(s.executions), num(s.objective), `${num(s.mean)}${ci(s.meanCi95)}`, pct(s.fillRate), pct(s.fallbackRate), secs(s.p95Seconds)];
}

function rivalOf(m: ModelVerdict, name: RivalName): Rival {
  return name === 'default' ? m.default : m.baselines[name];
}

function candidateLines(candidate: Readonly<Record<string, unknown>>): string[] {
  const entries = Object.entries(candidate);
  if (entries.length === 0) return ['  (no field changed: the base configuration)'];
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `  ${k.padEnd(width)}  ${JSON.stringify(v)}`);
}

/** One liquidity model's table: winner, default and baselines on train and test, then the paired differences. */
function modelLines(report: TuneReport, m: ModelVerdict): string[] {
  const table = new Table({
    head: ['', 'orders', `${report.objective}\nbps`, 'mean bps\n[95% CI]', 'filled', 'fallback', 'p95 to\ncomplete s'],
    style: { head: [], border: [] },
  });
  const rows: [string, { train: CostSummary; test: CostSummary }][] = [
    ['winner', m.winner],
    ['default', m.default],
    ...BASELINE_NAMES.map((n): [string, Rival] => [n, m.baselines[n]]),
  ];
  for (const side of ['train', 'test'] as const) for (const [name, tt] of rows) table.push(row(`${name} ${side}`, tt[side]));
  const lines = [`liquidity ${m.liquidity}${m.liquidity === report.liquidity.selection ? ' (the winner was chosen on its train rows)' : ''}:`, table.toString()];
  lines.push('paired on the test opens, other minus winner (positive: the winner is cheaper), 95% CI over opens:');
  for (const name of RIVAL_NAMES) {
    const p = rivalOf(m, name).pairedVsWinner;
    lines.push(`  ${name.padEnd(11)} ${num(p.meanDiffBps)} bps${ci(p.ci95)} on ${p.executions} executions: ${pairedVerdict(p)}`);
  }
  return lines;
}

function frontierLines(points: readonly FrontierPoint[], liquidity: string): string[] {
  if (points.length === 0) return [`frontier (train, ${liquidity}): empty (nothing completes 95% of its orders)`];
  const table = new Table({
    head: ['frontier', 'train mean\nbps', 'train p95\ns', 'train\nfilled', 'test mean\nbps', 'test p95\ns', 'test\nfilled'],
    style: { head: [], border: [] },
  });
  for (const p of points) table.push([p.label, num(p.meanCostBps), secs(p.p95Seconds), pct(p.fillRate), num(p.test.meanCostBps), secs(p.test.p95Seconds), pct(p.test.fillRate)]);
  return [`cost against time on train (${liquidity}): no point is both cheaper and faster than these`, table.toString()];
}

/** The readable result: the winner, its honest (test) numbers under each liquidity model, and what flips. */
export function formatTuneSummary(report: TuneReport, c: TuneContext): string {
  const { spec } = c;
  const lines: string[] = [];
  const opens = new Set([...report.split.trainOpens, ...report.split.testOpens]).size;
  const skipped = spec.skipped > 0 ? ` (${spec.skipped} invalid skipped)` : '';
  const name = c.sweepId === null ? 'merged sweep' : `sweep ${c.sweepId}`;
  const merged = c.mergedShards != null ? `, merged from ${c.mergedShards} shards` : '';
  lines.push(`${name}: ${spec.candidates.length} configurations${skipped} on ${opens} open(s), objective ${report.objective} cost, seed ${spec.seed}${merged}`);
  lines.push(`split by open: train ${report.split.trainOpens.join(', ')}; test ${report.split.testOpens.join(', ')}`);
  if (report.split.warning !== null) lines.push(`note: ${report.split.warning}`);
  const bound = report.maxP95Seconds === null ? '' : `, among the ${report.eligible} whose train p95 time to complete is within ${report.maxP95Seconds} s`;
  lines.push(`chosen on train under ${report.liquidity.selection} liquidity${bound}; reported under ${report.liquidity.models.join(' and ')}`);
  lines.push('', `winner: configuration #${report.winner.index}`, ...candidateLines(report.winner.candidate));
  if (report.underfill !== null) lines.push(`note: ${report.underfill.note}`);
  lines.push('');
  for (const model of report.liquidity.models) lines.push(...modelLines(report, report.byLiquidity[model]!), '');
  if (report.liquidity.models.length < 2) {
    lines.push(`only one liquidity model (${report.liquidity.models[0]}): a conclusion counts only if it also holds under the other`);
  } else if (report.flips.length === 0) {
    lines.push(`no conclusion flips between ${report.liquidity.models.join(' and ')}: each comparison above says the same under both`);
  } else {
    for (const f of report.flips) {
      const per = Object.entries(f.byLiquidity).map(([m, v]) => `${v.verdict} under ${m} (${num(v.meanDiffBps)} bps)`).join('; ');
      lines.push(`FLIPS between liquidity models, winner vs ${f.against}: ${per}. Not a conclusion.`);
    }
  }
  lines.push('', ...frontierLines(report.frontier, report.liquidity.selection));
  lines.push(report.overfitWarning === null ? 'no sign of overfitting (test close to train, not worse than the default)' : `WARNING: ${report.overfitWarning}`);
  if (report.fillRateWarning !== null) lines.push(`WARNING: ${report.fillRateWarning}`);
  lines.push('cost: bps against the arrival mid, positive = paid; unfilled quantity is charged as if completed at the window end, never less than crossing at arrival. p95 to complete: decision to last fill, an unfilled order never completes.');
  const where = c.sweepId === null ? 'not stored (merge without --db)' : `recorded as sweep ${c.sweepId} in ${c.db}`;
  const wrote = [c.out === null ? null : `winner configuration written to ${c.out}`, c.frontierOut === null ? null : `frontier written to ${c.frontierOut}`].filter((x) => x !== null);
  lines.push(`${where}${wrote.length === 0 ? '' : `; ${wrote.join('; ')}`}`);
  return `${lines.join('\n')}\n`;
}

const csvNumber = (x: number): string => (Number.isFinite(x) ? String(x) : Number.isNaN(x) ? '' : 'inf');

/** `--frontier-out`: every model's frontier as CSV, one row per point, train and test numbers side by side. */
export function frontierCsv(report: TuneReport): string {
  const lines = ['liquidity,label,candidate,strategy,train_mean_cost_bps,train_p95_seconds,train_fill_rate,test_mean_cost_bps,test_p95_seconds,test_fill_rate'];
  for (const model of report.liquidity.models) {
    for (const p of report.byLiquidity[model]!.frontier) {
      lines.push([model, p.label, p.candidate ?? '', p.strategy ?? '', csvNumber(p.meanCostBps), csvNumber(p.p95Seconds), csvNumber(p.fillRate), csvNumber(p.test.meanCostBps), csvNumber(p.test.p95Seconds), csvNumber(p.test.fillRate)].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

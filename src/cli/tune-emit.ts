import { writeFileSync } from 'node:fs';
import type { TuneReport } from '../analysis/tune/select.js';
import { winnerConfig } from '../analysis/tune/winner-config.js';
import { UsageError } from './cli-error.js';
import { formatTuneSummary, frontierCsv, tuneJson } from './tune-output.js';
import type { SweepSpec } from './tune-sweep.js';

/** The output flags shared by `tune` and `tune merge`. */
export interface EmitArgs {
  readonly json: boolean;
  readonly out?: string | undefined;
  readonly 'frontier-out'?: string | undefined;
}

/**
 * Prints a sweep's report (JSON or the readable summary) and writes the files asked for: the
 * winner's configuration (--out) and the frontier (--frontier-out). A winner that fills less than
 * the default without --allow-underfill is reported, but --out refuses to write it: after the
 * report, one line says why and the exit code is 2.
 */
export function emitReport(report: TuneReport, where: { sweepId: number | null; db: string | null; spec: SweepSpec; mergedShards?: number }, args: EmitArgs): void {
  const config = winnerConfig(where.spec.plan.config, report.winner.candidate);
  const blocked = args.out !== undefined ? report.writeBlocked : null;
  const out = args.out !== undefined && blocked === null ? args.out : null;
  if (out !== null) writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
  const frontierOut = args['frontier-out'] ?? null;
  if (frontierOut !== null) writeFileSync(frontierOut, frontierCsv(report));
  const context = { ...where, config, out, frontierOut };
  process.stdout.write(args.json ? `${JSON.stringify(tuneJson(report, context), null, 2)}\n` : formatTuneSummary(report, context));
  if (blocked !== null) throw new UsageError(`--out ${args.out}: not written: ${blocked}`);
}

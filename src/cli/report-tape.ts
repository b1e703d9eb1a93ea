import { existsSync } from 'node:fs';
import type { ExecutionReport } from '../engine/execution-report.js';
import type { Overlays } from '../sim/overlay/overlay-schema.js';
import { loadTapeSpec, tapeSpecIdentity, type TapeSpec } from '../sim/scenario/tape-spec.js';
import { loadTape } from '../sim/tape/load-tape.js';
import type { Tape } from '../sim/tape/tape.js';
import type { ExecutionRun } from '../store/comparisons.js';

/** The tape an execution met, or why it cannot be had (then the report draws orders and fills only). */
export type TapeLookup = { readonly tape: Tape; readonly note: string | null } | { readonly tape: null; readonly note: string };

interface SimRunConfig {
  readonly tapeSpecs?: readonly TapeSpec[];
  readonly overlays?: Overlays;
  readonly overlaySeed?: string | number;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Reloads the market of a recorded execution: a paper or live run's window tape (written beside
 * the database by `execute`), or a simulated run's tape rebuilt from its recorded spec with the
 * same overlays, so the chart shows exactly what the execution was matched against.
 */
export function tapeOfExecution(report: ExecutionReport, run: ExecutionRun): TapeLookup {
  try {
    if (run.kind === 'paper' || run.kind === 'live') {
      if (!existsSync(run.dataRef)) return { tape: null, note: `the recorded window tape ${run.dataRef} is missing` };
      return { tape: loadTape(run.dataRef, { symbol: report.symbol, date: report.date }), note: null };
    }
    const config = (run.config ?? {}) as SimRunConfig;
    if (!Array.isArray(config.tapeSpecs)) return { tape: null, note: 'this run was recorded before runs kept their tape specs: re-run the backtest to chart its market' };
    const spec = config.tapeSpecs.find((s) => {
      const id = tapeSpecIdentity(s, true);
      return id.symbol === report.symbol && id.date === report.date;
    });
    if (spec === undefined) return { tape: null, note: `no tape of ${report.symbol} on ${report.date} among the run's recorded tapes` };
    if (spec.kind === 'file' && !existsSync(spec.path)) return { tape: null, note: `the tape ${spec.path} is no longer there` };
    return { tape: loadTapeSpec(spec, config.overlays ?? {}, config.overlaySeed ?? run.seed ?? 1), note: null };
  } catch (err) {
    return { tape: null, note: `the tape could not be loaded: ${messageOf(err)}` };
  }
}

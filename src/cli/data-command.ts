import Table from 'cli-table3';
import type { Argv } from 'yargs';
import { isValidDate } from '../engine/et-time.js';
import { measureOpen, type OpenMeasurement } from '../analysis/profile/measure-open.js';
import { loadTape } from '../sim/tape/load-tape.js';
import type { Tape } from '../sim/tape/tape.js';
import { UsageError } from './cli-error.js';
import type { dataProfileOptions } from './options/data.js';


/** Loads every --tape; a missing list is a usage error, a bad file a TapeFormatError naming it. */
export function loadTapeArgs(command: string, args: { tape?: string[] | undefined; symbol?: string | undefined; date?: string | undefined }): Tape[] {
  const files = (args.tape ?? []).filter((f) => f !== '');
  if (files.length === 0) throw new UsageError(`${command}: missing --tape (usage: better-orders ${command} --tape FILE [--tape FILE ...])`);
  if (args.date !== undefined && !isValidDate(args.date)) throw new UsageError(`--date: expected YYYY-MM-DD, got "${args.date}"`);
  const opts = { ...(args.symbol !== undefined ? { symbol: args.symbol } : {}), ...(args.date !== undefined ? { date: args.date } : {}) };
  return files.map((f) => loadTape(f, opts));
}


type DataProfileArgs = Awaited<ReturnType<typeof dataProfileOptions>['argv']>;

const num = (x: number | null, digits = 2): string => (x === null ? '-' : x.toFixed(digits));

/** The readable form: one table per tape, windows as rows. */
export function formatMeasurement(m: OpenMeasurement): string {
  const table = new Table({
    head: ['window (ET)', 'spread ¢\nmedian / p90', 'spread bps\nmedian / p90', 'quotes\n/ minute'],
    style: { head: [], border: [] },
  });
  for (const w of m.windows) {
    table.push([
      `${w.start.slice(0, 5)}-${w.end.slice(0, 5)}`,
      `${num(w.spreadCentsMedian)} / ${num(w.spreadCentsP90)}`,
      `${num(w.spreadBpsMedian)} / ${num(w.spreadBpsP90)}`,
      num(w.quotesPerMinute, 1),
    ]);
  }
  const mid = m.midAt1000 === null ? 'mid at 10:00: - (no valid quote in force)' : `mid at 10:00: $${m.midAt1000.toFixed(4)}`;
  return `${m.symbol} ${m.date}  ${m.source}\n${table.toString()}\n${mid}`;
}

export function runDataProfile(args: DataProfileArgs): void {
  const measurements = loadTapeArgs('data profile', args).map(measureOpen);
  if (args.json) {
    const out = measurements.length === 1 ? measurements[0] : measurements;
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${measurements.map(formatMeasurement).join('\n\n')}\n`);
  process.stdout.write('spreads are time-weighted (each quote counts for as long as it stands; zero-side, crossed and locked quotes are left out); "-" = no data in that window.\n');
}


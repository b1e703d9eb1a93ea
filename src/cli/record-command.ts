import type { Argv } from 'yargs';
import { parseClock } from '../engine/et-time.js';
import { dataClient, endpointProblem, keysFromEnv } from '../live/recorder/alpaca-client.js';
import { record } from '../live/recorder/stream-recorder.js';
import { UsageError } from './cli-error.js';
import { liveMessage } from '../live/history/live-message.js';
import type { recordOptions } from './options/record.js';


type RecordArgs = Awaited<ReturnType<typeof recordOptions>['argv']>;

const SYMBOL = /^[A-Z][A-Z0-9.-]{0,15}$/;

/** Checks the arguments; every problem is a UsageError with one line. */
export function parseRecordArgs(args: RecordArgs) {
  const usage = 'usage: better-orders record --symbols A,B --from HH:MM --to HH:MM --out DIR [--feed iex|sip] [--endpoint URL]';
  for (const k of ['symbols', 'from', 'to', 'out'] as const) {
    if (args[k] === undefined || args[k] === '') throw new UsageError(`record: missing --${k} (${usage})`);
  }
  const symbols = args.symbols!.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  if (symbols.length === 0) throw new UsageError(`--symbols: expected a comma-separated list, got "${args.symbols}"`);
  for (const s of symbols) if (!SYMBOL.test(s)) throw new UsageError(`--symbols: "${s}" is not a stock symbol`);
  const clock = (name: 'from' | 'to'): number => {
    const v = args[name]!;
    if (!/^\d\d:\d\d(:\d\d)?$/.test(v)) throw new UsageError(`--${name}: expected HH:MM (ET), got "${v}"`);
    try {
      return parseClock(v);
    } catch {
      throw new UsageError(`--${name}: expected HH:MM (ET), got "${v}"`);
    }
  };
  if (clock('to') <= clock('from')) throw new UsageError(`--to ${args.to} must be after --from ${args.from}`);
  if (args.endpoint !== undefined) {
    const p = endpointProblem(args.endpoint);
    if (p !== null) throw new UsageError(p);
  }
  return { symbols, from: args.from!, to: args.to!, out: args.out!, feed: args.feed, endpoint: args.endpoint };
}

export async function runRecord(args: RecordArgs): Promise<void> {
  const a = parseRecordArgs(args);
  let keys;
  try {
    keys = keysFromEnv();
  } catch (err) {
    throw new UsageError(`record: ${(err as Error).message}`);
  }
  const { alpaca, stockStreamUrl } = dataClient(keys, a.endpoint, a.feed);
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const r = await record({
      alpaca,
      streamUrl: stockStreamUrl,
      symbols: a.symbols,
      from: a.from,
      to: a.to,
      outDir: a.out,
      log: (line) => process.stderr.write(`${line}\n`),
      signal: abort.signal,
    });
    const lines = r.files.map((f) => `${f.file}: ${f.rows} ${f.kind === 'quotes' ? 'quotes' : 'trades'}${f.dropped > 0 ? ` (${f.dropped} out of time order, dropped)` : ''}`);
    for (const s of a.symbols) if (!r.files.some((f) => f.symbol === s && f.kind === 'quotes')) lines.push(`${s}: no quotes received, no tape written`);
    if (r.gaps.length > 0) lines.push(`${r.gaps.length} gap(s) in the recording from stream drops (see above)`);
    if (r.interrupted) lines.push('interrupted before --to; the tapes hold what was recorded');
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    process.stderr.write(`better-orders: record: ${liveMessage(err)}\n`);
    process.exitCode = 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}


import type { Argv } from 'yargs';
import { isValidDate, parseClock } from '../engine/et-time.js';
import { fetchHistory } from '../live/history/fetch-history.js';
import { dataClient, endpointProblem, keysFromEnv } from '../live/recorder/alpaca-client.js';
import { UsageError } from './cli-error.js';
import { numberArg } from './number-arg.js';
import { liveMessage } from '../live/history/live-message.js';
import type { dataFetchOptions } from './options/data.js';


type DataFetchArgs = Awaited<ReturnType<typeof dataFetchOptions>['argv']>;

export function parseDataFetchArgs(args: DataFetchArgs) {
  const usage = 'usage: better-orders data fetch --symbol SYM --date YYYY-MM-DD [--from HH:MM] [--to HH:MM] --out DIR [--endpoint URL]';
  for (const k of ['symbol', 'date', 'out'] as const) {
    if (args[k] === undefined || args[k] === '') throw new UsageError(`data fetch: missing --${k} (${usage})`);
  }
  const symbol = args.symbol!.trim().toUpperCase();
  if (!/^[A-Z][A-Z0-9.-]{0,15}$/.test(symbol)) throw new UsageError(`--symbol: "${args.symbol}" is not a stock symbol`);
  if (!isValidDate(args.date!)) throw new UsageError(`--date: expected YYYY-MM-DD, got "${args.date}"`);
  const clock = (name: 'from' | 'to'): number => {
    const v = args[name];
    const bad = new UsageError(`--${name}: expected HH:MM (ET), got "${v}"`);
    if (!/^\d\d:\d\d(:\d\d)?$/.test(v)) throw bad;
    try {
      return parseClock(v);
    } catch {
      throw bad;
    }
  };
  if (clock('to') <= clock('from')) throw new UsageError(`--to ${args.to} must be after --from ${args.from}`);
  const pageSize = args['page-size'];
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) throw new UsageError(`--page-size: expected 1-10000, got ${pageSize}`);
  if (args.endpoint !== undefined) {
    const p = endpointProblem(args.endpoint);
    if (p !== null) throw new UsageError(p);
  }
  return { symbol, date: args.date!, from: args.from, to: args.to, out: args.out!, feed: args.feed as 'iex' | 'sip' | undefined, endpoint: args.endpoint, pageSize };
}

export async function runDataFetch(args: DataFetchArgs): Promise<void> {
  const a = parseDataFetchArgs(args);
  let keys;
  try {
    keys = keysFromEnv();
  } catch (err) {
    throw new UsageError(`data fetch: ${(err as Error).message}`);
  }
  const { alpaca } = dataClient(keys, a.endpoint, a.feed ?? 'iex');
  try {
    const r = await fetchHistory({
      alpaca,
      symbol: a.symbol,
      date: a.date,
      from: a.from,
      to: a.to,
      outDir: a.out,
      ...(a.feed !== undefined ? { feed: a.feed } : {}),
      pageSize: a.pageSize,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    if (r.quotes === 0) {
      process.stderr.write(`better-orders: data fetch: no quotes for ${a.symbol} on ${a.date} between ${a.from} and ${a.to} ET; no tape written\n`);
      process.exitCode = 1;
      return;
    }
    const lines = r.files.map((f) => `${f.file}: ${f.rows} ${f.kind}`);
    lines.push(`${r.quotePages} quote page(s), ${r.tradePages} trade page(s)${r.rejected > 0 ? `; ${r.rejected} row(s) the tape format cannot hold were left out` : ''}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (err) {
    process.stderr.write(`better-orders: data fetch: ${liveMessage(err)}\n`);
    process.exitCode = 1;
  }
}

import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { etClockToEpoch } from '../../engine/et-time.js';
import { liveMessage } from './live-message.js';
import { TapeCsvSink, type SinkFileStats } from '../recorder/tape-csv-sink.js';

export interface FetchHistoryOptions {
  readonly alpaca: Alpaca;
  readonly symbol: string;
  /** Trading date YYYY-MM-DD (ET). */
  readonly date: string;
  /** ET wall clock HH:MM[:SS]; the window is [from, to). Defaults 04:00 and 20:00 (the whole extended day). */
  readonly from?: string;
  readonly to?: string;
  readonly outDir: string;
  readonly feed?: 'iex' | 'sip';
  /** Rows per page (Alpaca's `limit`, 1-10000; default 10000). */
  readonly pageSize?: number;
  /** Extra tries of one page after a 429, a 5xx or a network error (default 4). A GET with the same token is safe to repeat. */
  readonly pageRetries?: number;
  /** Wall ms before the first retry of a page, doubled each time (default 500). */
  readonly retryDelayMs?: number;
  readonly log?: (line: string) => void;
}

export interface FetchHistoryResult {
  readonly files: readonly SinkFileStats[];
  readonly quotePages: number;
  readonly tradePages: number;
  readonly quotes: number;
  readonly trades: number;
  /** Rows the tape format cannot hold (a trade at 0, a negative price). */
  readonly rejected: number;
}

export class FetchHistoryError extends Error {
  override readonly name = 'FetchHistoryError';
}

interface Page<T> {
  readonly rows: readonly T[];
  readonly next: string | null | undefined;
}

function retryable(err: unknown): boolean {
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number') return status === 429 || status === 408 || status >= 500;
  return true; // a transport error: no answer came, the same GET can be sent again
}

/**
 * Walks every page of one history endpoint (following `next_page_token` until it is absent),
 * retrying a failed page with the same token. Throws when a token repeats (the API would loop).
 */
async function eachPage<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>, onRows: (rows: readonly T[]) => void, opts: FetchHistoryOptions, what: string): Promise<number> {
  const seen = new Set<string>();
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    let page: Page<T> | undefined;
    for (let attempt = 0; page === undefined; attempt++) {
      try {
        page = await fetchPage(token);
      } catch (err) {
        if (attempt >= (opts.pageRetries ?? 4) || !retryable(err)) throw err;
        const wait = (opts.retryDelayMs ?? 500) * 2 ** attempt;
        opts.log?.(`data fetch: ${what} page ${pages + 1} failed (${liveMessage(err)}); retrying in ${wait} ms`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    pages++;
    onRows(page.rows);
    const next = page.next;
    if (next === null || next === undefined || next === '') return pages;
    if (seen.has(next)) throw new FetchHistoryError(`${what}: the API sent the same page token twice; stopping rather than looping`);
    seen.add(next);
    token = next;
  }
}

/**
 * Imports one symbol's historical quotes and trades for [from, to) of an ET day through the SDK's
 * market-data API (`stockQuoteSingle` / `stockTradeSingle`), every page, into the generic CSV
 * tape of data/FORMATS.md (`<sym>_<date>.csv` and `<sym>_<date>_trades.csv`, replaced).
 */
export async function fetchHistory(opts: FetchHistoryOptions): Promise<FetchHistoryResult> {
  const fromMs = etClockToEpoch(opts.date, opts.from ?? '04:00');
  const toMs = etClockToEpoch(opts.date, opts.to ?? '20:00');
  if (toMs <= fromMs) throw new FetchHistoryError(`--to ${opts.to} must be after --from ${opts.from}`);
  const symbol = opts.symbol.toUpperCase();
  const stocks = opts.alpaca.marketData.stocks;
  const limit = opts.pageSize ?? 10_000;
  // Alpaca's `end` is inclusive: ask up to the last ms before --to.
  const range = { symbol, start: new Date(fromMs), end: new Date(toMs - 1), limit, sort: 'asc' as const, ...(opts.feed ? { feed: opts.feed } : {}) };
  const sink = new TapeCsvSink(opts.outDir, 'replace');
  let quotes = 0;
  let trades = 0;
  try {
    const quotePages = await eachPage(
      async (pageToken) => {
        const r = await stocks.stockQuoteSingle({ ...range, ...(pageToken !== undefined ? { pageToken } : {}) });
        return { rows: r.quotes ?? [], next: r.nextPageToken };
      },
      (rows) => {
        for (const q of rows) {
          const t = q.t.getTime();
          if (t < fromMs || t >= toMs) continue;
          if (sink.quote({ symbol, timeMs: t, timeText: q.t.toISOString(), bidPrice: q.bp, bidSize: q.bs, askPrice: q.ap, askSize: q.as })) quotes++;
        }
        sink.flush();
      },
      opts,
      'quotes',
    );
    const tradePages = await eachPage(
      async (pageToken) => {
        const r = await stocks.stockTradeSingle({ ...range, ...(pageToken !== undefined ? { pageToken } : {}) });
        return { rows: r.trades ?? [], next: r.nextPageToken };
      },
      (rows) => {
        for (const tr of rows) {
          const t = tr.t.getTime();
          if (t < fromMs || t >= toMs) continue;
          if (sink.trade({ symbol, timeMs: t, timeText: tr.t.toISOString(), price: tr.p, size: tr.s })) trades++;
        }
        sink.flush();
      },
      opts,
      'trades',
    );
    return { files: sink.stats(), quotePages, tradePages, quotes, trades, rejected: sink.rejected };
  } finally {
    sink.close();
  }
}

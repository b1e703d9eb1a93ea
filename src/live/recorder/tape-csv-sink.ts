import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { etDateOf } from '../../engine/et-time.js';

/**
 * Writes market data as the generic CSV tape of data/FORMATS.md: one quotes file
 * `<sym>_<YYYY-MM-DD>.csv` (`time,bid,bid_size,ask,ask_size`) and one trades file
 * `<sym>_<YYYY-MM-DD>_trades.csv` (`time,price,size`) per symbol and ET day, in `outDir`.
 * A file is created at its first row, so a symbol without quotes leaves no empty (unreadable) file.
 *
 * Rows are buffered and written with `flush()` (the recorder flushes on a short timer): a killed
 * process keeps everything up to the last flush. The reader wants times that never decrease, so
 * a row older than the last one written to its file is dropped and counted (`dropped`).
 */
export const QUOTES_HEADER = 'time,bid,bid_size,ask,ask_size';
export const TRADES_HEADER = 'time,price,size';

export interface SinkQuote {
  readonly symbol: string;
  /** Epoch ms (the order key). */
  readonly timeMs: number;
  /** The time as written: RFC 3339 (sub-ms digits allowed; the reader truncates them). */
  readonly timeText: string;
  /** Dollars; 0 = no quote on that side. */
  readonly bidPrice: number;
  readonly bidSize: number;
  readonly askPrice: number;
  readonly askSize: number;
}

export interface SinkTrade {
  readonly symbol: string;
  readonly timeMs: number;
  readonly timeText: string;
  readonly price: number;
  readonly size: number;
}

export interface SinkFileStats {
  readonly file: string;
  readonly kind: 'quotes' | 'trades';
  readonly symbol: string;
  readonly date: string;
  rows: number;
  dropped: number;
}

interface OpenFile {
  readonly stats: SinkFileStats;
  readonly fd: number;
  lastMs: number;
  pending: string[];
}

/** Dollars (a float from JSON or msgpack) -> a decimal with at most 4 places; null when not a finite price >= 0. */
export function formatDollars(p: number): string | null {
  if (!Number.isFinite(p) || p < 0) return null;
  const units = Math.round(p * 10_000);
  if (!Number.isSafeInteger(units) || units > 2_147_483_647) return null;
  const whole = Math.floor(units / 10_000);
  const frac = String(units % 10_000).padStart(4, '0').replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

function formatSize(s: number): string | null {
  return Number.isFinite(s) && s >= 0 ? String(Math.floor(s)) : null;
}

export function tapeFileNames(outDir: string, symbol: string, date: string): { quotes: string; trades: string } {
  const stem = path.join(outDir, `${symbol.toLowerCase()}_${date}`);
  return { quotes: `${stem}.csv`, trades: `${stem}_trades.csv` };
}

/** The time of the last row of an existing tape file, so an appended recording stays in order. */
function lastRowMs(file: string, header: string): number {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return -Infinity;
  if (lines[0]!.replace(/^\uFEFF/, '') !== header) throw new Error(`${file}: exists and is not a tape written by better-orders (header is not "${header}")`);
  if (lines.length === 1) return -Infinity;
  const t = lines[lines.length - 1]!.split(',')[0]!;
  const ms = /^\d+$/.test(t) ? Number(t) : Date.parse(t.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : -Infinity;
}

export class TapeCsvSink {
  private readonly files = new Map<string, OpenFile>();

  /** `append`: continue existing files of the same day (a restarted recording); `replace`: start them afresh. */
  constructor(
    readonly outDir: string,
    private readonly mode: 'append' | 'replace' = 'append',
  ) {
    mkdirSync(outDir, { recursive: true });
  }

  quote(q: SinkQuote): boolean {
    const bid = formatDollars(q.bidPrice);
    const ask = formatDollars(q.askPrice);
    if (bid === null || ask === null) return this.reject(q.symbol, q.timeMs, 'quotes');
    const bs = bid === '0' ? '0' : formatSize(q.bidSize);
    const as = ask === '0' ? '0' : formatSize(q.askSize);
    if (bs === null || as === null) return this.reject(q.symbol, q.timeMs, 'quotes');
    return this.push(q.symbol, q.timeMs, 'quotes', `${q.timeText},${bid},${bs},${ask},${as}`);
  }

  trade(t: SinkTrade): boolean {
    const price = formatDollars(t.price);
    const size = formatSize(t.size);
    if (price === null || price === '0' || size === null || size === '0') return this.reject(t.symbol, t.timeMs, 'trades');
    return this.push(t.symbol, t.timeMs, 'trades', `${t.timeText},${price},${size}`);
  }

  /** Writes every buffered row to disk. */
  flush(): void {
    for (const f of this.files.values()) {
      if (f.pending.length === 0) continue;
      writeSync(f.fd, `${f.pending.join('\n')}\n`);
      f.pending = [];
    }
  }

  close(): void {
    this.flush();
    for (const f of this.files.values()) closeSync(f.fd);
    this.files.clear();
    this.closed = true;
  }

  private closed = false;
  private readonly done: SinkFileStats[] = [];

  /** Every file written so far (quotes and trades), with row and drop counts. */
  stats(): SinkFileStats[] {
    return [...this.done];
  }

  /** Rows refused as unwritable (a negative or non-finite price or size, a trade at 0). */
  rejected = 0;

  private reject(_symbol: string, _timeMs: number, _kind: 'quotes' | 'trades'): false {
    this.rejected++;
    return false;
  }

  private push(symbol: string, timeMs: number, kind: 'quotes' | 'trades', row: string): boolean {
    const f = this.file(symbol, timeMs, kind);
    if (timeMs < f.lastMs) {
      f.stats.dropped++;
      return false;
    }
    f.lastMs = timeMs;
    f.pending.push(row);
    f.stats.rows++;
    return true;
  }

  private file(symbol: string, timeMs: number, kind: 'quotes' | 'trades'): OpenFile {
    if (this.closed) throw new Error('tape sink is closed');
    const date = etDateOf(timeMs);
    const key = `${symbol}\u0000${date}\u0000${kind}`;
    let f = this.files.get(key);
    if (f !== undefined) return f;
    const file = tapeFileNames(this.outDir, symbol, date)[kind];
    const header = kind === 'quotes' ? QUOTES_HEADER : TRADES_HEADER;
    const continuing = this.mode === 'append' && existsSync(file) && statSync(file).size > 0;
    const lastMs = continuing ? lastRowMs(file, header) : -Infinity;
    const fd = openSync(file, continuing ? 'a' : 'w');
    if (!continuing) writeSync(fd, `${header}\n`);
    const stats: SinkFileStats = { file, kind, symbol, date, rows: 0, dropped: 0 };
    this.done.push(stats);
    f = { stats, fd, lastMs, pending: [] };
    this.files.set(key, f);
    return f;
  }
}

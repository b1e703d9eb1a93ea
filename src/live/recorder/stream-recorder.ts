import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { etClockOf, etClockToEpoch, etDateOf } from '../../engine/et-time.js';
import { liveMessage } from '../history/live-message.js';
import { TapeCsvSink, type SinkFileStats } from './tape-csv-sink.js';

/** A failure the user can act on (refused keys, a window already past): one line, no stack. */
export class RecordError extends Error {
  override readonly name = 'RecordError';
}

export interface RecordOptions {
  readonly alpaca: Alpaca;
  /** The stock stream URL (`wss://stream.data.alpaca.markets/v2/iex`, or the emulator's `/v2/{feed}`). */
  readonly streamUrl: string;
  readonly symbols: readonly string[];
  /** ET wall clock (HH:MM or HH:MM:SS) of the day given by Alpaca's clock. */
  readonly from: string;
  readonly to: string;
  readonly outDir: string;
  /** Progress, drops and gaps, one line each (stderr in the CLI). */
  readonly log?: (line: string) => void;
  /** Clock poll period, wall ms (default 1000). */
  readonly pollMs?: number;
  /** Disk flush period, wall ms (default 250). */
  readonly flushMs?: number;
  /** After --to is reached, wall ms to keep taking in-flight events stamped before --to (default 1000). */
  readonly graceMs?: number;
  /** Connect this many venue ms before --from (default 60 s). */
  readonly leadMs?: number;
  /** First reconnect delay, wall ms (default 1000; the SDK doubles it up to 10 s). */
  readonly initialReconnectMs?: number;
  /** Stops the recording early (Ctrl-C); what was recorded is kept. */
  readonly signal?: AbortSignal;
}

export interface StreamGap {
  /** Last event before the drop (epoch ms), or null when none had arrived. */
  readonly lastBefore: number | null;
  /** First event after the reconnect, or null when none came before the end. */
  readonly firstAfter: number | null;
  /** Wall ms between the drop and the reconnect. */
  readonly downMs: number;
}

export interface RecordResult {
  readonly date: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly files: readonly SinkFileStats[];
  readonly gaps: readonly StreamGap[];
  /** Rows the tape format cannot hold (a negative price, a trade at 0). */
  readonly rejected: number;
  /** True when stopped by the signal before --to. */
  readonly interrupted: boolean;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

async function clockNow(alpaca: Alpaca): Promise<number> {
  return (await alpaca.trading.clock.legacyClock()).timestamp.getTime();
}

const et = (t: number): string => `${etClockOf(t)} ET`;

/**
 * Streams quotes and trades of `symbols` from the SDK's stock stream into generic CSV tapes
 * (data/FORMATS.md), one quotes and one trades file per symbol and ET day, keeping events stamped
 * in [from, to) of the day of Alpaca's clock. Time is Alpaca's: the clock endpoint (polled) and the
 * events' own timestamps, so a replaying emulator at any speed is recorded the same way.
 * A dropped stream is reconnected by the SDK (no attempt limit); each drop is logged and returned
 * as a gap. Rows reach the disk every `flushMs`, so an interrupted recording keeps what it got.
 */
export async function record(opts: RecordOptions): Promise<RecordResult> {
  const log = opts.log ?? (() => {});
  const pollMs = opts.pollMs ?? 1000;
  const signal = opts.signal;
  const symbols = [...new Set(opts.symbols)];
  const wanted = new Set(symbols);

  const now0 = await clockNow(opts.alpaca);
  const date = etDateOf(now0);
  const fromMs = etClockToEpoch(date, opts.from);
  const toMs = etClockToEpoch(date, opts.to);
  if (toMs <= fromMs) throw new RecordError(`--to ${opts.to} must be after --from ${opts.from}`);
  if (now0 >= toMs) throw new RecordError(`--to ${opts.to} ET has already passed today (${date}, Alpaca's clock reads ${et(now0)})`);

  // Wait (polling Alpaca's clock) until shortly before --from.
  const connectAt = fromMs - (opts.leadMs ?? 60_000);
  let now = now0;
  if (now < connectAt) log(`record: waiting for ${opts.from} ET (now ${et(now)})`);
  while (now < connectAt && !signal?.aborted) {
    await sleep(Math.min(Math.max((connectAt - now) / 20, pollMs), 30_000), signal);
    now = await clockNow(opts.alpaca).catch(() => now);
  }

  const sink = new TapeCsvSink(opts.outDir, 'append');
  const gaps: StreamGap[] = [];
  let lastEventMs: number | null = null;
  let firstEventMs: number | null = null;
  let dropAt: { wall: number; lastBefore: number | null } | null = null;
  let openGap: { lastBefore: number | null; downMs: number } | null = null;
  let reachedTo = false;
  let stopping = false;

  const seen = (t: number): boolean => {
    if (openGap !== null) {
      gaps.push({ ...openGap, firstAfter: t });
      log(`record: gap in the recording from ${openGap.lastBefore === null ? 'the start' : et(openGap.lastBefore)} to ${et(t)} (stream down ${(openGap.downMs / 1000).toFixed(1)} s)`);
      openGap = null;
    }
    firstEventMs ??= t;
    lastEventMs = lastEventMs === null ? t : Math.max(lastEventMs, t);
    if (t >= toMs) reachedTo = true;
    return t >= fromMs && t < toMs;
  };

  const stream = opts.alpaca.marketData.stockStream({
    url: opts.streamUrl,
    reconnect: true,
    maxReconnectAttempts: -1,
    initialReconnectMs: opts.initialReconnectMs ?? 1000,
    maxReconnectMs: 10_000,
  });
  stream.onQuote((q) => {
    if (stopping || !wanted.has(q.symbol)) return;
    const t = q.timestamp.getTime();
    if (!seen(t)) return;
    sink.quote({ symbol: q.symbol, timeMs: t, timeText: q.timestampRaw ?? q.timestamp.toISOString(), bidPrice: q.bidPrice, bidSize: q.bidSize, askPrice: q.askPrice, askSize: q.askSize });
  });
  stream.onTrade((tr) => {
    if (stopping || !wanted.has(tr.symbol)) return;
    const t = tr.timestamp.getTime();
    if (!seen(t)) return;
    sink.trade({ symbol: tr.symbol, timeMs: t, timeText: tr.timestampRaw ?? tr.timestamp.toISOString(), price: tr.price, size: tr.size });
  });
  stream.onConnect(() => {
    stream.subscribeForQuotes([...symbols]);
    stream.subscribeForTrades([...symbols]);
  });
  stream.onDisconnect(() => {
    if (stopping || dropAt !== null) return;
    dropAt = { wall: Date.now(), lastBefore: lastEventMs };
    log(`record: stock stream dropped${lastEventMs === null ? '' : ` (last event at ${et(lastEventMs)})`}; reconnecting`);
  });
  stream.onReconnected(() => {
    if (dropAt === null) return;
    const downMs = Date.now() - dropAt.wall;
    log(`record: stock stream reconnected after ${(downMs / 1000).toFixed(1)} s`);
    openGap = { lastBefore: dropAt.lastBefore, downMs };
    dropAt = null;
  });
  stream.onError((err) => log(`record: stock stream error: ${err}`));

  const flusher = setInterval(() => sink.flush(), opts.flushMs ?? 250);
  try {
    stream.connect();
    const auth = await stream.waitForAuthenticationResult(30_000);
    if (!auth.authenticated) {
      const why = auth.code !== undefined ? `code ${auth.code}` : auth.status;
      throw new RecordError(`the stock stream refused to authenticate (${why}): check APCA_API_KEY_ID / APCA_API_SECRET_KEY and the feed`);
    }
    log(`record: ${symbols.join(',')} ${date} ${opts.from}-${opts.to} ET into ${opts.outDir}`);
    // The subscription follows the authentication: if --from has already passed, the rows since
    // it are lost (a stream does not replay), and the recording must say so, not look complete.
    // (Events may already flow while the clock is read: the gap then ends at the first of them.)
    const subscribedBy = await clockNow(opts.alpaca).catch(() => null);
    if (subscribedBy !== null && subscribedBy > fromMs && openGap === null && dropAt === null) {
      log(`record: the stream was subscribed at ${et(subscribedBy)} ET, after --from ${opts.from}: rows before the first one received are missing`);
      const late = { lastBefore: null, downMs: subscribedBy - fromMs };
      if (firstEventMs === null) openGap = late;
      else gaps.unshift({ ...late, firstAfter: firstEventMs });
    }
    while (!reachedTo && !signal?.aborted) {
      await sleep(pollMs, signal);
      if (reachedTo || signal?.aborted) break;
      try {
        if ((await clockNow(opts.alpaca)) >= toMs) reachedTo = true;
      } catch (err) {
        log(`record: clock check failed (${liveMessage(err)}); still recording`);
      }
    }
    // Events stamped before --to may still be in flight.
    if (!signal?.aborted) await sleep(opts.graceMs ?? 1000, signal);
  } finally {
    stopping = true;
    clearInterval(flusher);
    stream.disconnect();
    sink.close();
  }
  if (dropAt !== null) {
    const d: { wall: number; lastBefore: number | null } = dropAt;
    gaps.push({ lastBefore: d.lastBefore, firstAfter: null, downMs: Date.now() - d.wall });
    log(`record: the stream was still down at the end (since ${d.lastBefore === null ? 'the start' : et(d.lastBefore)})`);
  } else if (openGap !== null) {
    const g: { lastBefore: number | null; downMs: number } = openGap;
    gaps.push({ ...g, firstAfter: null });
  }
  return { date, fromMs, toMs, files: sink.stats(), gaps, rejected: sink.rejected, interrupted: !reachedTo };
}

import { createServer, connect, type Server, type Socket } from 'node:net';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { endpointFetch, streamUrls } from '../../../src/live/alpaca-endpoint.js';
import { startEmulator, type RunningEmulator } from '../../../src/live/emulator/server.js';
import { record, type StreamGap } from '../../../src/live/recorder/stream-recorder.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { loadTape } from '../../../src/sim/tape/load-tape.js';
import type { Tape } from '../../../src/sim/tape/tape.js';

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:45:00' });

function client(baseUrl: string, emu: RunningEmulator): Alpaca {
  return new Alpaca({ keyId: emu.keys.keyId, secret: emu.keys.secret, fetchApi: endpointFetch(baseUrl), retry: false, rateLimit: false });
}

/** The tape's rows in [from, to), with same-ms rows collapsed to the last (as the CSV reader does). */
function quotesIn(t: Tape, from: number, to: number): number[][] {
  const q = t.quotes;
  const rows: number[][] = [];
  for (let i = 0; i < q.length; i++) {
    const time = q.time[i]!;
    if (time < from || time >= to) continue;
    const row = [time, q.bid[i]!, q.bidSize[i]!, q.ask[i]!, q.askSize[i]!];
    if (rows.length > 0 && rows[rows.length - 1]![0] === time) rows[rows.length - 1] = row;
    else rows.push(row);
  }
  return rows;
}
function tradesIn(t: Tape, from: number, to: number): number[][] {
  const tr = t.trades;
  const rows: number[][] = [];
  if (tr === null) return rows;
  for (let i = 0; i < tr.length; i++) if (tr.time[i]! >= from && tr.time[i]! < to) rows.push([tr.time[i]!, tr.price[i]!, tr.size[i]!]);
  return rows;
}
const allQuotes = (t: Tape): number[][] => quotesIn(t, -Infinity, Infinity);

/**
 * The gap a late subscription leaves at the start of the window (none when the recorder was
 * subscribed in time); when there is one, the recorder must also have said so in its log.
 */
function startGapOf(gaps: readonly StreamGap[], logs: readonly string[]): StreamGap | undefined {
  const late = gaps.find((g) => g.lastBefore === null);
  if (late !== undefined) {
    expect(late.firstAfter).not.toBeNull();
    expect(logs.some((l) => /subscribed at .* after --from 09:30:00: rows before the first one received are missing/.test(l))).toBe(true);
  }
  return late;
}

describe('record: the real SDK stock stream into generic CSV tapes', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // 15 venue seconds (1.5 s of wall time) before the window: the recorder must be subscribed
    // before 09:30:00 to see its first rows, and on a loaded machine (load 13 on 2 cores seen) the
    // REST clock check, the websocket handshake and the subscription took more than 0.5 s.
    emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:29:45'), speed: 10 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('writes exactly the emulator tape’s quotes and trades over the window, and loadTape reads them back', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bo-record-'));
    const logs: string[] = [];
    const r = await record({
      alpaca: client(emu.baseUrl, emu),
      streamUrl: streamUrls(emu.baseUrl).stocks,
      symbols: [tape.symbol, 'ZZZZ'],
      from: '09:30:00',
      to: '09:30:20',
      outDir: out,
      log: (l) => logs.push(l),
      pollMs: 100,
      graceMs: 300,
    });
    expect(r.interrupted).toBe(false);
    // Subscribed before 09:30:00, nothing is missing. Subscribed after it (a loaded machine), the
    // recording names the missing start as a gap, and every row from the gap's end on is there.
    const late = startGapOf(r.gaps, logs);
    expect(r.gaps.filter((g) => g !== late)).toEqual([]);
    expect(r.date).toBe(DATE);
    const from = etClockToEpoch(DATE, '09:30:00');
    const to = etClockToEpoch(DATE, '09:30:20');
    const recordedFrom = late?.firstAfter ?? from;
    const file = join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`);
    const got = loadTape(file);
    expect(got.symbol).toBe(tape.symbol);
    expect(got.date).toBe(DATE);
    expect(quotesIn(tape, from, to).length).toBeGreaterThan(20);
    const want = quotesIn(tape, recordedFrom, to);
    expect(want.length).toBeGreaterThan(10);
    expect(allQuotes(got)).toEqual(want);
    const wantTrades = tradesIn(tape, recordedFrom, to);
    if (wantTrades.length > 0) {
      expect(got.trades).not.toBeNull();
      expect(tradesIn(got, -Infinity, Infinity)).toEqual(wantTrades);
    }
    // A symbol without data leaves no (unreadable) empty file.
    expect(existsSync(join(out, `zzzz_${DATE}.csv`))).toBe(false);
    expect(logs.join('\n')).not.toContain(emu.keys.secret);
  });

  it('a recording that starts after --from names its missing start as a gap, and has every row after it', async () => {
    const late = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:30:05'), speed: 10 });
    try {
      const logs: string[] = [];
      const out = mkdtempSync(join(tmpdir(), 'bo-record-'));
      const r = await record({ alpaca: client(late.baseUrl, late), streamUrl: streamUrls(late.baseUrl).stocks, symbols: [tape.symbol], from: '09:30:00', to: '09:30:30', outDir: out, log: (l) => logs.push(l), pollMs: 100, graceMs: 300 });
      const gap = startGapOf(r.gaps, logs);
      expect(gap).toBeDefined();
      expect(r.gaps).toEqual([gap]);
      expect(gap!.firstAfter!).toBeGreaterThan(etClockToEpoch(DATE, '09:30:05'));
      expect(allQuotes(loadTape(join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`)))).toEqual(quotesIn(tape, gap!.firstAfter!, etClockToEpoch(DATE, '09:30:30')));
    } finally {
      await late.close();
    }
  });

  it('refuses a window that has already passed, with one line', async () => {
    const err = await record({
      alpaca: client(emu.baseUrl, emu),
      streamUrl: streamUrls(emu.baseUrl).stocks,
      symbols: [tape.symbol],
      from: '09:00:00',
      to: '09:10:00',
      outDir: mkdtempSync(join(tmpdir(), 'bo-record-')),
    }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('RecordError');
    expect((err as Error).message).toMatch(/already passed/);
  });
});

/** A TCP relay in front of the emulator whose connections can be cut: a dropped stream. */
async function relay(port: number): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((a) => {
    const b = connect(port, '127.0.0.1');
    const pair: [Socket, Socket] = [a, b];
    pairs.add(pair);
    a.pipe(b);
    b.pipe(a);
    const end = (): void => {
      a.destroy();
      b.destroy();
      pairs.delete(pair);
    };
    a.on('error', end).on('close', end);
    b.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const p = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${p}`,
    cut() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => r());
      }),
  };
}

describe('record: a dropped stream', () => {
  it('reconnects, logs the gap, and keeps every row on either side of it', async () => {
    // As above: time for the recorder to be subscribed before the window opens, even when loaded.
    const emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:29:45'), speed: 10 });
    const proxy = await relay(emu.port);
    try {
      const out = mkdtempSync(join(tmpdir(), 'bo-record-'));
      const logs: string[] = [];
      // The stream is cut once rows are on disk (the recorder is connected and recording), not at
      // a fixed wall time: on a loaded machine the connection alone can outlast such a delay.
      const file = join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`);
      let cutAt: number | null = null;
      const cutter = setInterval(() => {
        if (!existsSync(file) || readFileSync(file, 'utf8').trim().split('\n').length < 3) return;
        cutAt = emu.venue.now();
        proxy.cut();
        clearInterval(cutter);
      }, 20);
      const r = await record({
        alpaca: client(proxy.url, emu),
        streamUrl: streamUrls(proxy.url).stocks,
        symbols: [tape.symbol],
        from: '09:30:00',
        to: '09:30:40',
        outDir: out,
        log: (l) => logs.push(l),
        pollMs: 100,
        graceMs: 300,
        initialReconnectMs: 100,
      });
      clearInterval(cutter);
      expect(cutAt, 'the cut came before the recording had rows and time to reconnect').not.toBeNull();
      expect(cutAt!).toBeLessThan(etClockToEpoch(DATE, '09:30:35'));
      const late = startGapOf(r.gaps, logs);
      const drops = r.gaps.filter((g) => g !== late);
      expect(drops).toHaveLength(1);
      const gap = drops[0]!;
      expect(gap.lastBefore).not.toBeNull();
      expect(gap.firstAfter).not.toBeNull();
      expect(logs.some((l) => /stock stream dropped/.test(l))).toBe(true);
      expect(logs.some((l) => /gap in the recording from \d\d:\d\d:\d\d\.\d{3} ET to \d\d:\d\d:\d\d\.\d{3} ET/.test(l))).toBe(true);
      const got = allQuotes(loadTape(file));
      const from = etClockToEpoch(DATE, '09:30:00');
      const to = etClockToEpoch(DATE, '09:30:40');
      // Every recorded row is a tape row; the rows outside the gap are all there.
      const want = quotesIn(tape, from, to);
      const outside = want.filter((row) => (row[0]! <= gap.lastBefore! || row[0]! >= gap.firstAfter!) && (late === undefined || row[0]! >= late.firstAfter!));
      expect(got).toEqual(outside);
      expect(got.length).toBeGreaterThan(10);
    } finally {
      await proxy.close();
      await emu.close();
    }
  });
});

describe('record: the emulator’s own stream-drop fault, and an interrupted recording', () => {
  it('survives drop@ (gap logged) and the tape still loads', async () => {
    // Time to subscribe before the window, as above (a late subscription is named as a gap too).
    const emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:29:45'), speed: 10, faults: 'drop@09:30:08' });
    try {
      const out = mkdtempSync(join(tmpdir(), 'bo-record-'));
      const logs: string[] = [];
      const r = await record({
        alpaca: client(emu.baseUrl, emu),
        streamUrl: streamUrls(emu.baseUrl).stocks,
        symbols: [tape.symbol],
        from: '09:30:00',
        to: '09:30:20',
        outDir: out,
        log: (l) => logs.push(l),
        pollMs: 100,
        graceMs: 300,
        initialReconnectMs: 100,
      });
      expect(r.gaps.length).toBeGreaterThanOrEqual(1);
      expect(logs.some((l) => /stock stream dropped/.test(l))).toBe(true);
      const got = allQuotes(loadTape(join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`)));
      const want = quotesIn(tape, etClockToEpoch(DATE, '09:30:00'), etClockToEpoch(DATE, '09:30:20'));
      startGapOf(r.gaps, logs);
      // Every row outside every gap the recording names is there, and nothing else.
      expect(got).toEqual(want.filter((row) => r.gaps.every((gap) => row[0]! <= (gap.lastBefore ?? -Infinity) || row[0]! >= (gap.firstAfter ?? Infinity))));
      expect(got.some((row) => row[0]! > etClockToEpoch(DATE, '09:30:10'))).toBe(true);
    } finally {
      await emu.close();
    }
  });

  it('stopped early (Ctrl-C), keeps every row it got, readable, and a rerun appends in order', async () => {
    const emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:29:59'), speed: 10 });
    try {
      const out = mkdtempSync(join(tmpdir(), 'bo-record-'));
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 800);
      const opts = { alpaca: client(emu.baseUrl, emu), streamUrl: streamUrls(emu.baseUrl).stocks, symbols: [tape.symbol], from: '09:30:00', to: '09:31:00', outDir: out, pollMs: 100, graceMs: 200 };
      const r = await record({ ...opts, signal: stop.signal });
      expect(r.interrupted).toBe(true);
      const file = join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`);
      const first = allQuotes(loadTape(file));
      expect(first.length).toBeGreaterThan(5);
      expect(first).toEqual(quotesIn(tape, first[0]![0]!, first[first.length - 1]![0]! + 1));
      // A second run the same day continues the same files.
      const stop2 = new AbortController();
      setTimeout(() => stop2.abort(), 500);
      await record({ ...opts, signal: stop2.signal });
      const both = allQuotes(loadTape(file));
      expect(both.length).toBeGreaterThan(first.length);
      expect(both.slice(0, first.length)).toEqual(first);
    } finally {
      await emu.close();
    }
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../../src/engine/et-time.js';
import { endpointFetch } from '../../../src/live/alpaca-endpoint.js';
import { startEmulator, type RunningEmulator } from '../../../src/live/emulator/server.js';
import { fetchHistory } from '../../../src/live/history/fetch-history.js';
import { TQQQ_LIKE, generateOpen } from '../../../src/sim/synthetic/index.js';
import { loadTape } from '../../../src/sim/tape/load-tape.js';

const DATE = '2024-06-03';
const tape = generateOpen(TQQQ_LIKE, DATE, 5, { fromEt: '09:25:00', toEt: '09:45:00' });
const FROM = etClockToEpoch(DATE, '09:29:00');
const TO = etClockToEpoch(DATE, '09:33:00');

function tapeRows(kind: 'quotes' | 'trades'): number[][] {
  const rows: number[][] = [];
  if (kind === 'quotes') {
    const q = tape.quotes;
    for (let i = 0; i < q.length; i++) if (q.time[i]! >= FROM && q.time[i]! < TO) rows.push([q.time[i]!, q.bid[i]!, q.bidSize[i]!, q.ask[i]!, q.askSize[i]!]);
  } else if (tape.trades !== null) {
    const t = tape.trades;
    for (let i = 0; i < t.length; i++) if (t.time[i]! >= FROM && t.time[i]! < TO) rows.push([t.time[i]!, t.price[i]!, t.size[i]!]);
  }
  return rows;
}

/** The CSV rows as written (before the reader collapses rows of one ms): [ms, ...integers]. */
function fileRows(file: string): number[][] {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [t, ...rest] = l.split(',');
    return [Date.parse(t!), ...rest.map((v, k) => (k % 2 === 0 ? Math.round(Number(v) * 10_000) : Number(v)))];
  });
}

async function withEmulator(faults: string | undefined, run: (emu: RunningEmulator, alpaca: Alpaca) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:50:00'), speed: 1, ...(faults ? { faults } : {}) });
  try {
    await run(emu, new Alpaca({ keyId: emu.keys.keyId, secret: emu.keys.secret, fetchApi: endpointFetch(emu.baseUrl), retry: false, rateLimit: false }));
  } finally {
    await emu.close();
  }
}

describe('data fetch: historical quotes and trades through the SDK, every page', () => {
  let rowsQ: number[][];
  beforeAll(() => {
    rowsQ = tapeRows('quotes');
  });
  afterAll(() => {});

  it('returns every tape row in [from, to) exactly once across many pages', async () => {
    await withEmulator(undefined, async (_emu, alpaca) => {
      const out = mkdtempSync(join(tmpdir(), 'bo-fetch-'));
      const r = await fetchHistory({ alpaca, symbol: tape.symbol, date: DATE, from: '09:29', to: '09:33', outDir: out, pageSize: 37 });
      expect(rowsQ.length).toBeGreaterThan(37 * 3);
      expect(r.quotePages).toBe(Math.ceil(rowsQ.length / 37));
      expect(r.quotes).toBe(rowsQ.length);
      const quotesFile = join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`);
      expect(fileRows(quotesFile)).toEqual(rowsQ);
      const rowsT = tapeRows('trades');
      expect(r.trades).toBe(rowsT.length);
      expect(rowsT.length).toBeGreaterThan(0);
      expect(fileRows(join(out, `${tape.symbol.toLowerCase()}_${DATE}_trades.csv`))).toEqual(rowsT);
      // The tape loads as backtest and tune load it.
      const got = loadTape(quotesFile);
      expect(got.symbol).toBe(tape.symbol);
      expect(got.date).toBe(DATE);
      expect(got.quotes.time[0]).toBe(rowsQ[0]![0]);
      expect((got.trades?.length ?? 0) === rowsT.length || rowsT.length === 0).toBe(true);
    });
  });

  it('retries pages answered 5xx / 429 and still gets every row once', async () => {
    await withEmulator('http5xx=0.2,http429=0.1', async (_emu, alpaca) => {
      const out = mkdtempSync(join(tmpdir(), 'bo-fetch-'));
      const logs: string[] = [];
      const r = await fetchHistory({ alpaca, symbol: tape.symbol, date: DATE, from: '09:29', to: '09:33', outDir: out, pageSize: 50, pageRetries: 12, retryDelayMs: 1, log: (l) => logs.push(l) });
      expect(fileRows(join(out, `${tape.symbol.toLowerCase()}_${DATE}.csv`))).toEqual(rowsQ);
      expect(r.quotes).toBe(rowsQ.length);
      expect(logs.some((l) => /retrying/.test(l))).toBe(true);
    });
  });
});

/**
 * Issue 13's proof of "no change of behaviour": every command with --json, run on the default
 * scenario, on real-dev and on an emulator execution, must print exactly what the code printed
 * before the restructuring. Each output, normalized (./golden-normalize.ts says what varies and
 * why), is hashed and compared with test/cli/golden-json.hashes.json, which was generated once from
 * the code before the refactor.
 *
 * Regenerate only for a deliberate, explained behaviour change:
 *   GOLDEN_WRITE=1 npx vitest run test/cli/golden-json.test.ts
 * GOLDEN_DUMP=DIR writes every normalized output there, to diff two versions when a hash differs.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { startEmulator } from '../../src/live/emulator/server.js';
import { allocQuoteColumns, allocTradeColumns, trimQuotes, trimTrades } from '../../src/sim/tape/columns.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { normalizeJson, normalizeText, type NormalizeOptions } from './golden-normalize.js';
import { hasRealData, REAL_DATA, REPO_ROOT, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const FIXTURE = join(import.meta.dirname, 'golden-json.hashes.json');
const WRITE = process.env['GOLDEN_WRITE'] === '1';
const DUMP = process.env['GOLDEN_DUMP'];
const stored: Record<string, string> = WRITE ? {} : (JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string>);
const produced: Record<string, string> = {};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

function check(name: string, normalized: string): void {
  produced[name] = sha256(normalized);
  if (DUMP !== undefined) {
    mkdirSync(DUMP, { recursive: true });
    writeFileSync(join(DUMP, `${name.replaceAll("/", "__")}.txt`), normalized);
  }
  if (!WRITE) expect(produced[name], `${name}: output differs from the golden one`).toBe(stored[name]);
}

/** Runs a command in process, expects `status`, and checks its normalized stdout. */
async function golden(name: string, args: readonly string[], norm: NormalizeOptions, status = 0): Promise<string> {
  const t0 = performance.now();
  const r = await runInProcess(args);
  if (DUMP !== undefined) console.log(`${name}: ${Math.round(performance.now() - t0)} ms`);
  expect(r.status, `${name}: ${r.stderr}`).toBe(status);
  check(name, normalizeJson(r.stdout, norm));
  return r.stdout;
}

afterAll(() => {
  if (WRITE) writeFileSync(FIXTURE, `${JSON.stringify(Object.fromEntries(Object.entries(produced).sort()), null, 2)}\n`);
});

function pathsFor(dir: string): NormalizeOptions['paths'] {
  return [[dir, '<tmp>'], [REAL_DATA, '<data>'], [REPO_ROOT, '<repo>']];
}

/** The default scenario with fewer opens and orders, for the commands that sweep (tune). */
function smallDefault(dir: string): string {
  const scenario = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'default.json'), 'utf8')) as Record<string, unknown> & { data: { synthetic: Record<string, unknown> } };
  const file = join(dir, 'default-small.json');
  writeFileSync(file, JSON.stringify({ ...scenario, data: { synthetic: { ...scenario.data.synthetic, days: 3 } }, orders: { sides: ['buy', 'sell'], quantities: [100], decisionTimes: ['09:30:00', '09:33:00'] } }));
  return file;
}

const GRID = { 'timeouts.openMs': [1000, 3000], 'entry.wide': ['marketable', 0.5] };

describe('golden --json outputs on the default scenario', () => {
  it('backtest, runs, show, alerts, report, tune (and its shards merged), data profile, rebalance', async () => {
    const dir = tempDir();
    const norm = { paths: pathsFor(dir) };
    const db = join(dir, 'bt.db');
    await golden('default/backtest', ['backtest', '--date', '2024-03-05', '--json', '--db', db], norm);
    await golden('default/backtest-sell-widened', ['backtest', '--date', '2024-03-06', '--side', 'sell', '--qty', '250.5', '--at', '09:30:10', '--widen', 'peak=4,decay=90s', '--liquidity', 'conservative,nominal', '--json', '--db', db], norm);
    await golden('default/runs', ['runs', '--json', '--db', db], norm);
    await golden('default/show-run', ['show', '--run', '1', '--json', '--db', db], norm);
    await golden('default/show-execution', ['show', '--execution', 'TQQQ-20240305-093000-buy-1000-ladder', '--json', '--db', db], norm);
    await golden('default/alerts', ['alerts', '--json', '--db', db], norm);
    const html = join(dir, 'run.html');
    const report = await runInProcess(['report', '--run', '2', '--out', html, '--db', db]);
    expect(report.status, report.stderr).toBe(0);
    check('default/report-run-html', normalizeText(readFileSync(html, 'utf8'), norm));

    const scenario = smallDefault(dir);
    const grid = join(dir, 'grid.json');
    writeFileSync(grid, JSON.stringify(GRID));
    await golden('default/tune', ['tune', '--scenario', scenario, '--grid', grid, '--workers', '1', '--json', '--db', join(dir, 'tune.db')], norm);
    const shards = ['1/2', '2/2'].map((k, i) => join(dir, `shard-${i + 1}.db`));
    for (const [i, shardDb] of shards.entries()) await golden(`default/tune-shard-${i + 1}`, ['tune', '--scenario', scenario, '--grid', grid, '--workers', '1', '--shard', `${i + 1}/2`, '--json', '--db', shardDb], norm);
    await golden('default/tune-merge', ['tune', 'merge', ...shards, '--json'], norm);

    const tapes = join(dir, 'tapes');
    const synth = await runInProcess(['synth', '--profile', 'tqqq-like', '--days', '1', '--date', '2024-03-04', '--seed', '1', '--out', tapes]);
    expect(synth.status, synth.stderr).toBe(0);
    const tape = join(tapes, 'equity', 'usa', 'tick', 'tqqq', '20240304_quote.zip');
    await golden('default/data-profile', ['data', 'profile', '--tape', tape, '--json'], norm);

    const targets = join(dir, 'targets.json');
    writeFileSync(targets, JSON.stringify({ weights: { TQQQ: 0.2 } }));
    const positions = join(dir, 'positions.json');
    writeFileSync(positions, JSON.stringify({ TQQQ: 300 }));
    await golden('default/rebalance', ['rebalance', '--targets', targets, '--positions', positions, '--cash', '1000', '--scenario', scenario, '--json', '--db', join(dir, 'rb.db')], norm);
  });
});

const realSuite = hasRealData ? describe : describe.skip;
if (!hasRealData) console.warn(`golden-json: real-dev cases skipped: no tapes at ${REAL_DATA}`);
const tick = (symbol: string, day: string): string => join(REAL_DATA, 'equity', 'usa', 'tick', symbol, `${day}_quote.zip`);

realSuite('golden --json outputs on real-dev', () => {
  it('backtest, tune, rebalance, data profile', async () => {
    const dir = tempDir();
    const norm = { paths: pathsFor(dir) };
    const realDev = join(REPO_ROOT, 'scenarios', 'real-dev.json');
    await golden('real-dev/backtest', ['backtest', '--scenario', realDev, '--symbol', 'IBM', '--date', '2013-10-07', '--liquidity', 'conservative,nominal', '--json', '--db', join(dir, 'bt.db')], norm);
    const grid = join(dir, 'grid.json');
    writeFileSync(grid, JSON.stringify(GRID));
    await golden('real-dev/tune', ['tune', '--scenario', realDev, '--symbol', 'IBM', '--side', 'buy', '--qty', '500', '--at', '09:30:00', '--grid', grid, '--workers', '1', '--json', '--db', join(dir, 'tune.db')], norm);
    const targets = join(dir, 'targets.json');
    writeFileSync(targets, JSON.stringify({ weights: { BAC: 0.3, IBM: 0.69 } }));
    const positions = join(dir, 'positions.json');
    writeFileSync(positions, JSON.stringify({ BAC: 5000, IBM: 10 }));
    await golden('real-dev/rebalance', ['rebalance', '--targets', targets, '--positions', positions, '--cash', '500', '--tape', tick('bac', '20131007'), tick('ibm', '20131007'), '--json', '--db', join(dir, 'rb.db')], norm);
    await golden('real-dev/data-profile', ['data', 'profile', '--tape', tick('ibm', '20131008'), '--json'], norm);
  });
});

/**
 * A flat market (bid 50.00 x ask 50.01, deep on both sides, a quote every 200 ms, a print at the ask every 100 ms): what the
 * emulator fills does not depend on when, within a few ms, an order arrives, so only the venue
 * times need normalizing. A marketable buy fills at once; a buy that joins the bid rests until its
 * re-peg timer (the live driver's timers) sends the marketable one.
 */
function flatTape(date: string): Tape {
  const from = etClockToEpoch(date, '09:35:00');
  const n = 5 * 60 * 5;
  const c = allocQuoteColumns(n);
  for (let i = 0; i < n; i++) {
    c.time[i] = from + i * 200;
    c.bid[i] = 500_000;
    c.ask[i] = 500_100;
    c.bidSize[i] = 50_000;
    c.askSize[i] = 50_000;
  }
  // Prints at the ask (never through a resting buy at the bid), often enough that the recorder usually catches some in a short
  // execution (compare replays the recorded tape; the case with none is checked below).
  const t = allocTradeColumns(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    t.time[i] = from + i * 100 + 50;
    t.price[i] = 500_100;
    t.size[i] = 100;
    t.regular[i] = 1;
  }
  const trades = trimTrades(2 * n, t.time, t.price, t.size, t.regular);
  return { symbol: 'FLAT', date, source: 'golden:flat', quotes: trimQuotes(n, c.time, c.bid, c.ask, c.bidSize, c.askSize), trades, tradesAreBars: false };
}

describe('golden --json outputs of an emulator execution', () => {
  it('execute --paper --endpoint, then show and compare', async () => {
    const dir = tempDir();
    const norm = { paths: pathsFor(dir), venueTimes: true };
    const date = '2024-06-04';
    const emu = await startEmulator({ tape: flatTape(date), startMs: etClockToEpoch(date, '09:36:00'), speed: 1 });
    const env = { APCA_API_KEY_ID: process.env['APCA_API_KEY_ID'], APCA_API_SECRET_KEY: process.env['APCA_API_SECRET_KEY'] };
    process.env['APCA_API_KEY_ID'] = emu.keys.keyId;
    process.env['APCA_API_SECRET_KEY'] = emu.keys.secret;
    const db = join(dir, 'paper.db');
    try {
      await golden('emulator/execute', ['execute', '--paper', '--symbol', 'FLAT', '--side', 'buy', '--qty', '300', '--endpoint', emu.baseUrl, '--execution-id', 'golden-1', '--json', '--db', db], norm);
      const joinBid = join(dir, 'join-bid.json');
      writeFileSync(joinBid, JSON.stringify({ ladder: { entry: { tight: 0, normal: 0, wide: 0 }, maxRepegs: 1, timeouts: { openMs: 1000, normalMs: 1000 } } }));
      await golden('emulator/execute-repeg', ['execute', '--paper', '--symbol', 'FLAT', '--side', 'buy', '--qty', '200', '--config', joinBid, '--endpoint', emu.baseUrl, '--execution-id', 'golden-2', '--json', '--db', db], norm);
    } finally {
      await emu.close();
      for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    await golden('emulator/show-execution', ['show', '--execution', 'golden-1', '--json', '--db', db], norm);
    const compared = await golden('emulator/compare', ['compare', '--execution', 'golden-1', '--json', '--db', db], norm);
    await golden('emulator/compare-repeg', ['compare', '--execution', 'golden-2', '--json', '--db', db], norm);
    // The recorder may catch no print in so short a window; compare then replays a trades file with
    // a header and no rows, to the same result (the VWAP over the prints aside, normalized above).
    const sql = new Database(db, { readonly: true });
    const { data_ref: quotesFile } = sql.prepare("SELECT r.data_ref FROM runs r JOIN executions e ON e.run_id = r.id WHERE e.execution_key = 'golden-1'").get() as { data_ref: string };
    sql.close();
    writeFileSync(quotesFile.replace(/_quotes\.csv$/, '_trades.csv'), 'time,price,size\n');
    const noPrints = await runInProcess(['compare', '--execution', 'golden-1', '--json', '--db', db]);
    expect(noPrints.stderr).toBe('');
    const unstored = (stdout: string): unknown => ({ ...(JSON.parse(normalizeJson(stdout, norm)) as object), comparisonId: 'its own row' });
    expect(unstored(noPrints.stdout)).toEqual(unstored(compared));
  });
});

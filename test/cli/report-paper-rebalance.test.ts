/**
 * `runs`, `show` and `report` on what the simulation tests do not make: a paper execution on the
 * loopback emulator (the real SDK over HTTP and WebSocket; its window tape recorded beside the
 * database) and a simulated rebalance of two synthetic opens. Each page is then loaded in
 * headless Chromium (skipped with a message where there is none).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { startEmulator, type RunningEmulator } from '../../src/live/emulator/server.js';
import { generateOpen, SOXL_LIKE, TQQQ_LIKE } from '../../src/sim/synthetic/index.js';
import { CHROMIUM, checkPage, launchChromium, NO_CHROMIUM } from '../chromium.js';
import { runCliAsync, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const DATE = '2024-06-03';
const dir = tempDir();
const db = join(dir, 'runs.db');

interface Section { kind: string; quotes?: { t: number[] }; fills?: unknown[]; orders?: { label: string; fills: unknown[] }[]; weights?: { symbol: string; before: number; target: number; after: number }[] }
function embedded(file: string): Section[] {
  const m = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(readFileSync(file, 'utf8'));
  expect(m, `${file} embeds its data`).not.toBeNull();
  return JSON.parse(m![1]!) as Section[];
}
async function ok(args: string[]): Promise<string> {
  const r = await runInProcess(args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.status, args.join(' ')).toBe(0);
  return r.stdout;
}

const pages: Record<string, string> = {};

describe('runs, show and report on a paper execution', () => {
  let emu: RunningEmulator;
  let executionId = '';
  beforeAll(async () => {
    const tape = generateOpen(TQQQ_LIKE, DATE, 11, { fromEt: '09:25:00', toEt: '09:50:00' });
    emu = await startEmulator({ tape, startMs: etClockToEpoch(DATE, '09:30:00'), speed: 1 });
    const ex = await runCliAsync(['execute', '--symbol', 'TQQQ', '--side', 'buy', '--qty', '200', '--endpoint', emu.baseUrl, '--db', db, '--json'], { APCA_API_KEY_ID: emu.keys.keyId, APCA_API_SECRET_KEY: emu.keys.secret });
    expect(ex.status, ex.stderr).toBe(0);
    executionId = (JSON.parse(ex.stdout) as { executionId: string }).executionId;
  }, 60_000);
  afterAll(async () => {
    await emu.close();
  });

  it('lists the paper run, shows the execution by the id execute printed, and charts it against its recorded window', async () => {
    const runs = JSON.parse(await ok(['runs', '--db', db, '--json'])) as { kind: string; subject: string; executions: number }[];
    expect(runs[0]).toMatchObject({ kind: 'paper', subject: 'TQQQ', executions: 1 });
    const shown = JSON.parse(await ok(['show', '--execution', executionId, '--db', db, '--json'])) as { executionId: string; runKind: string; filledQty: number };
    expect(shown).toMatchObject({ executionId, runKind: 'paper', filledQty: 200 });
    const out = join(dir, 'report-paper.html');
    await ok(['report', '--execution', executionId, '--db', db, '--out', out]);
    const [section] = embedded(out);
    expect(section!.kind).toBe('execution');
    // The band comes from the window tape execute wrote beside the database.
    expect(section!.quotes!.t.length).toBeGreaterThan(10);
    expect(section!.fills!.length).toBeGreaterThan(0);
    pages['report-paper'] = out;
  });
});

describe('runs, show and report on a rebalance', () => {
  it('lists the rebalance run, shows it, and charts its legs on one axis with the weights', async () => {
    const tapes = [TQQQ_LIKE, SOXL_LIKE].map((profile, i) => {
      const t = generateOpen(profile, DATE, 20 + i, { fromEt: '09:25:00', toEt: '09:50:00' });
      const file = join(dir, `${t.symbol.toLowerCase()}_${DATE}.csv`);
      const rows = Array.from({ length: t.quotes.length }, (_, k) => `${t.quotes.time[k]},${t.quotes.bid[k]! / 1e4},${t.quotes.bidSize[k]},${t.quotes.ask[k]! / 1e4},${t.quotes.askSize[k]}`);
      writeFileSync(file, `time,bid,bid_size,ask,ask_size\n${rows.join('\n')}\n`);
      return file;
    });
    writeFileSync(join(dir, 'targets.json'), JSON.stringify({ weights: { TQQQ: 0.2, SOXL: 0.7 } }));
    writeFileSync(join(dir, 'positions.json'), JSON.stringify({ TQQQ: 300 }));
    const rebalance = JSON.parse(await ok(['rebalance', '--targets', join(dir, 'targets.json'), '--positions', join(dir, 'positions.json'), '--cash', '20000', '--tape', ...tapes, '--db', db, '--json'])) as { rebalanceId: string; runId: number };
    const runs = JSON.parse(await ok(['runs', '--db', db, '--json'])) as { id: number; kind: string; executions: number }[];
    expect(runs[0]).toMatchObject({ id: rebalance.runId, kind: 'sim', executions: 2 });
    expect(await ok(['show', '--run', String(rebalance.runId), '--db', db])).toMatch(/2 execution\(s\)/);
    const out = join(dir, 'report-rebalance.html');
    expect(await ok(['report', '--rebalance', rebalance.rebalanceId, '--db', db, '--out', out])).toMatch(/3 sections/);
    const sections = embedded(out);
    expect(sections.map((s) => s.kind)).toEqual(['rebalance', 'execution', 'execution']);
    const rb = sections[0]!;
    expect(rb.orders!.map((o) => o.label.split(' ').slice(0, 2).join(' '))).toEqual(['TQQQ sell', 'SOXL buy']);
    const weights = Object.fromEntries(rb.weights!.map((w) => [w.symbol, w]));
    expect(weights['TQQQ']!.before).toBeGreaterThan(0.3);
    expect(weights['SOXL']).toMatchObject({ before: 0, target: 0.7 });
    expect(Math.abs(weights['SOXL']!.after - 0.7)).toBeLessThan(0.01);
    // Each leg's chart has its market: the run recorded its tapes.
    for (const s of sections.slice(1)) expect(s.quotes!.t.length).toBeGreaterThan(10);
    pages['report-rebalance'] = out;
  });
});

describe('the paper and rebalance pages in a browser', () => {
  let browser: Browser | null = null;
  afterAll(async () => {
    await browser?.close();
  });
  it.skipIf(CHROMIUM === null)(`load with no console error, no request, every chart drawn${CHROMIUM === null ? ` (skipped: ${NO_CHROMIUM})` : ''}`, async () => {
    browser = await launchChromium();
    expect(Object.keys(pages).sort()).toEqual(['report-paper', 'report-rebalance']);
    for (const [name, file] of Object.entries(pages)) {
      const check = await checkPage(browser, file, name);
      expect(check.consoleErrors, name).toEqual([]);
      expect(check.requests, name).toEqual([]);
      expect(check.paintedPixels.length, name).toBe((readFileSync(file, 'utf8').match(/<div class="chart" id=/g) ?? []).length);
      for (const painted of check.paintedPixels) expect(painted, name).toBeGreaterThan(2_000);
    }
  }, 60_000);
});

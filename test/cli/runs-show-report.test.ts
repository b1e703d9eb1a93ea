import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, checkPage, launchChromium, NO_CHROMIUM } from '../chromium.js';
import { tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

/** The section data a report page embeds (what its script draws from). */
function embedded(html: string): { kind: string }[] {
  const m = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html);
  expect(m, 'the page embeds its data').not.toBeNull();
  return JSON.parse(m![1]!) as { kind: string }[];
}

const dir = tempDir();
const db = join(dir, 'runs.db');
/** Runs a command that must succeed; only tune may talk on stderr (its progress). */
const ok = async (args: string[]): Promise<string> => {
  const r = await runInProcess([...args, '--db', db]);
  if (args[0] !== 'tune') expect(r.stderr, args.join(' ')).toBe('');
  expect(r.status, args.join(' ')).toBe(0);
  return r.stdout;
};

describe('runs, show and report on a backtest and a sweep', () => {
  let executionKey = '';
  beforeAll(async () => {
    await ok(['backtest', '--date', '2024-03-05', '--liquidity', 'conservative,nominal', '--json']);
    await ok(['tune', '--random', '2', '--workers', '1', '--liquidity', 'conservative', '--json']);
    const run = JSON.parse(await ok(['show', '--run', '1', '--json'])) as { executions: { id: number; executionId: string; strategy: string }[] };
    executionKey = run.executions.find((e) => e.strategy === 'ladder')!.executionId;
  }, 60_000);

  it('lists the backtest and the sweep, newest first', async () => {
    const runs = JSON.parse(await ok(['runs', '--json'])) as { id: number; kind: string; executions: number; strategies: string[]; subject: string; status: string | null }[];
    expect(runs.map((r) => [r.kind, r.id])).toEqual([['tune', 1], ['sim', 1]]);
    expect(runs[1]).toMatchObject({ executions: 128, strategies: ['ladder', 'market', 'progressive', 'passive'], subject: 'default' });
    expect(runs[0]!.status).toBe('done');
    const table = await ok(['runs']);
    expect(table).toMatch(/│ 1\s+│ sim\s+│/);
    expect(table).toMatch(/│ 1\s+│ tune \(done\)\s+│/);
    expect(await ok(['runs', '--kind', 'paper'])).toMatch(/^no paper runs in /);
  });

  it('shows a run with its summary and an execution by its key or its row id, identically', async () => {
    const run = await ok(['show', '--run', '1']);
    expect(run).toContain('better-orders backtest --date 2024-03-05');
    expect(run).toMatch(/│ ladder\s+│ conservative │/);
    const byKey = JSON.parse(await ok(['show', '--execution', executionKey, '--json'])) as { id: number; executionId: string; childOrders: unknown[]; events: unknown[] };
    expect(byKey.executionId).toBe(executionKey);
    expect(byKey.childOrders.length).toBeGreaterThan(0);
    const byId = JSON.parse(await ok(['show', '--execution', String(byKey.id), '--json']));
    expect(byId).toEqual(byKey);
    const text = await ok(['show', '--execution', executionKey]);
    expect(text).toContain(`execution id ${executionKey}`);
    expect(text).toContain('decision log:');
  });

  it('refuses what it cannot find, in one line naming it', async () => {
    for (const [args, message] of [
      [['show', '--execution', 'NOPE'], /no execution "NOPE" in .*runs\.db/],
      [['show', '--run', '9'], /no run 9 in/],
      [['show', '--run', 'x1'], /--run: expected a run id \(a whole number\), got "x1"/],
      [['report', '--sweep', '5', '--out', join(dir, 'x.html')], /no sweep 5 in/],
      [['report', '--run', '1', '--sweep', '1', '--out', join(dir, 'x.html')], /name exactly one of/],
    ] as const) {
      const r = await runInProcess([...args, '--db', db]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const missing = await runInProcess(['runs', '--db', join(dir, 'absent.db')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/runs: no database .*absent\.db/);
  });

  describe('report pages', () => {
    let browser: Browser | null = null;
    const pages: Record<string, string> = {};
    beforeAll(async () => {
      for (const [name, args] of [
        ['report-run', ['--run', '1']],
        ['report-execution', ['--execution', executionKey]],
        ['report-sweep', ['--sweep', '1']],
      ] as const) {
        const out = join(dir, `${name}.html`);
        expect(await ok(['report', ...args, '--out', out])).toMatch(/^wrote .*\.html \(1 section, \d+ KB\)/);
        pages[name] = out;
      }
      if (CHROMIUM !== null) browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('embed the data of the right sections, the chart library inlined and no external reference', async () => {
      expect(embedded(readFileSync(pages['report-run']!, 'utf8')).map((s) => s.kind)).toEqual(['run']);
      const execution = embedded(readFileSync(pages['report-execution']!, 'utf8')) as unknown as { kind: string; quotes: { t: number[] }; fills: unknown[]; children: unknown[] }[];
      expect(execution[0]!.kind).toBe('execution');
      // A synthetic run's tape is rebuilt from its recorded spec: the band has the window's quotes.
      expect(execution[0]!.quotes.t.length).toBeGreaterThan(10);
      expect(execution[0]!.fills.length).toBeGreaterThan(0);
      expect(embedded(readFileSync(pages['report-sweep']!, 'utf8')).map((s) => s.kind)).toEqual(['sweep']);
      for (const file of Object.values(pages)) {
        const html = readFileSync(file, 'utf8');
        expect(html).toContain('uPlot');
        expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      }
    });

    it.skipIf(CHROMIUM === null)(`load in headless Chromium with no console error, no request, and every chart drawn${CHROMIUM === null ? ` (skipped: ${NO_CHROMIUM})` : ''}`, async () => {
      for (const [name, file] of Object.entries(pages)) {
        const check = await checkPage(browser!, file, name);
        expect(check.consoleErrors, name).toEqual([]);
        expect(check.requests, name).toEqual([]);
        const charts = (readFileSync(file, 'utf8').match(/<div class="chart" id=/g) ?? []).length;
        expect(check.paintedPixels.length, `${name}: one canvas per chart`).toBe(charts);
        for (const painted of check.paintedPixels) expect(painted, name).toBeGreaterThan(5_000);
      }
    }, 60_000);
  });
});

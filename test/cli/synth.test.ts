import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { etClockToEpoch } from '../../src/engine/et-time.js';
import { TQQQ_LIKE } from '../../src/sim/synthetic/index.js';
import { loadTape } from '../../src/sim/tape/load-tape.js';
import { tempDir, type CliResult } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const synth = (out: string, ...extra: string[]) =>
  runInProcess(['synth', '--profile', 'tqqq-like', '--date', '2024-03-02', '--days', '2', '--seed', '7', '--out', out, ...extra]);
const tick = (out: string, sym: string, ymd: string, kind: 'quote' | 'trade') => join(out, 'equity', 'usa', 'tick', sym, `${ymd}_${kind}.zip`);

describe('better-orders synth', () => {
  const out = tempDir();
  let first: CliResult;
  beforeAll(async () => {
    first = await synth(out);
  });
  const files = ['20240304', '20240305'].flatMap((d) => [tick(out, 'tqqq', d, 'quote'), tick(out, 'tqqq', d, 'trade')]);

  it('writes N trading days from --date (a Saturday here) and prints each file, then one summary line', async () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(files);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/^synth: 2 day\(s\) of TQQQ \(tqqq-like, seed 7\) 2024-03-04\.\.2024-03-05 09:00:00-10:30:00 ET: \d+ quotes, \d+ trades; replay: better-orders backtest --tape /);
    for (const f of files) expect(existsSync(f)).toBe(true);
  });

  it('writes identical bytes for identical arguments, other bytes for another seed', async () => {
    const again = tempDir();
    expect((await synth(again)).status).toBe(0);
    for (const f of files) expect(readFileSync(f.replace(out, again)).equals(readFileSync(f))).toBe(true);
    const other = tempDir();
    await runInProcess(['synth', '--profile', 'tqqq-like', '--date', '2024-03-04', '--seed', '8', '--out', other]);
    expect(readFileSync(tick(other, 'tqqq', '20240304', 'quote')).equals(readFileSync(files[0]!))).toBe(false);
  });

  it('covers 09:00-10:30 ET with quotes and trades that loadTape reads', async () => {
    const tape = loadTape(files[0]!);
    expect(tape.symbol).toBe('TQQQ');
    expect(tape.quotes.time[0]).toBe(etClockToEpoch('2024-03-04', '09:00:00'));
    expect(tape.quotes.time[tape.quotes.length - 1]).toBeLessThan(etClockToEpoch('2024-03-04', '10:30:00'));
    expect(tape.trades!.length).toBeGreaterThan(1000);
    expect(tape.openingQuoteTime).toBeGreaterThan(etClockToEpoch('2024-03-04', '09:30:00'));
  });

  it('is replayed by backtest --tape', async () => {
    const r = await runInProcess(['backtest', '--tape', files[0]!, '--side', 'sell', '--qty', '300', '--json', '--db', join(tempDir(), 'run.db')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const execs = (JSON.parse(r.stdout) as { executions: Array<{ symbol: string; date: string; outcome: string }> }).executions;
    expect(execs.map((e) => [e.symbol, e.date, e.outcome])).toEqual(Array(4).fill(['TQQQ', '2024-03-04', 'filled']));
  });
});

describe('better-orders synth with a profile file, a shape file, a window and a symbol', () => {
  it('writes what they say', async () => {
    const dir = tempDir();
    const profile = join(dir, 'calm.json');
    // Wrapped as a calibration might write it, next to its measurements.
    writeFileSync(profile, JSON.stringify({ profile: { ...TQQQ_LIKE, name: 'calm-like', dailyVolatility: 0.01 }, measured: {} }));
    const shape = join(dir, 'shape.json');
    writeFileSync(shape, JSON.stringify({ gapBps: 50, badQuotes: { burstsPerHour: 300, kinds: ['zero-bid'] } }));
    const out = join(dir, 'out');
    const r = await runInProcess(['synth', '--profile', profile, '--date', '2024-03-04', '--seed', 'x', '--out', out, '--shape', shape, '--from', '09:20:00', '--to', '09:45:00']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/synth: 1 day\(s\) of CALM \(calm-like, seed x, shaped\) 2024-03-04 09:20:00-09:45:00 ET: .*; \d+ zero-side snapshot\(s\) read back holding the previous side/);
    const tape = loadTape(tick(out, 'calm', '20240304', 'quote'));
    expect(tape.quotes.time[0]).toBe(etClockToEpoch('2024-03-04', '09:20:00'));
    expect(tape.quotes.time[tape.quotes.length - 1]).toBeLessThan(etClockToEpoch('2024-03-04', '09:45:00'));

    const renamed = await runInProcess(['synth', '--profile', 'soxl_like', '--date', '2024-03-04', '--seed', '1', '--out', out, '--symbol', 'soxx']);
    expect(renamed.status).toBe(0);
    expect(loadTape(tick(out, 'soxx', '20240304', 'quote')).symbol).toBe('SOXX');
  });
});

describe('better-orders synth refuses bad arguments with one line and writes nothing', () => {
  const dir = tempDir();
  const badShape = join(dir, 'bad-shape.json');
  writeFileSync(badShape, JSON.stringify({ gapBps: 'big' }));
  const spaced = join(dir, 'spaced.json');
  writeFileSync(spaced, JSON.stringify({ ...TQQQ_LIKE, name: 'my profile' }));
  const base = { '--profile': 'tqqq-like', '--date': '2024-03-04', '--seed': '1' };
  const argsWith = (over: Record<string, string | null>, out: string) =>
    ['synth', ...Object.entries({ ...base, '--out': out, ...over }).flatMap(([k, v]) => (v === null ? [] : [k, v]))];
  it.each<[Record<string, string | null>, RegExp]>([
    [{ '--seed': null }, /^better-orders: synth: missing --seed \(usage: synth --profile/],
    [{ '--profile': null, '--date': null }, /missing --profile, --date/],
    [{ '--profile': 'nope-like' }, /--profile: unknown profile "nope-like" \(built-in: .*tqqq-like/],
    [{ '--profile': 'missing.json' }, /--profile: profile missing\.json: cannot read \(ENOENT\)/],
    [{ '--date': '2024-13-01' }, /--date: expected YYYY-MM-DD, got "2024-13-01"/],
    [{ '--date': '2040-01-02' }, /--date: .*2040/],
    [{ '--days': '0' }, /--days: expected a whole number from 1 to 500, got 0/],
    [{ '--from': '9am' }, /--from: expected an ET time HH:MM:SS, got "9am"/],
    [{ '--from': '10:00:00', '--to': '09:00:00' }, /--to 09:00:00 must be after --from 10:00:00/],
    [{ '--shape': badShape }, /--shape .*bad-shape\.json: invalid open shape: gapBps: /],
    [{ '--symbol': 'a/b' }, /--symbol: "a\/b" \(a Lean folder name needs letters/],
    [{ '--profile': spaced }, /profile name "my profile" gives symbol "MY PROFILE"; pass --symbol/],
    [{ '--bogus': '1' }, /[Uu]nknown argument/],
  ])('%j', async (over, message) => {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    const r = await runInProcess(argsWith(over, out));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('reports an --out that is a file', async () => {
    const r = await runInProcess(argsWith({}, badShape));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^better-orders: --out .*bad-shape\.json: cannot write .* \(ENOTDIR\)\n$/);
  });
});

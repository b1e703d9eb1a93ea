import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TQQQ_LIKE, generateOpen } from '../../src/sim/synthetic/index.js';
import { validateProfile } from '../../src/sim/synthetic/open-profile.js';
import { writeTapeCsv } from '../analysis/profile/tiny-tape.js';
import { REAL_DATA, hasRealData, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const tick = (sym: string, day: string) => join(REAL_DATA, 'equity', 'usa', 'tick', sym, `${day}_quote.zip`);
const AIG = ['20131007', '20131008'].map((d) => tick('aig', d));
if (!hasRealData) console.warn(`skipping synth calibrate on real tapes: ${REAL_DATA} not found`);

async function expectOneLineError(args: string[], pattern: RegExp): Promise<void> {
  const r = await runInProcess(args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('better-orders synth calibrate', () => {
  it.skipIf(!hasRealData || !AIG.every((f) => existsSync(f)))('writes a valid profile fitted on real tapes and summarises it', async () => {
    const out = join(tempDir(), 'aig.json');
    const r = await runInProcess(['synth', 'calibrate', '--tape', AIG[0]!, '--tape', AIG[1]!, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const profile = validateProfile(JSON.parse(readFileSync(out, 'utf8')));
    expect(profile.name).toBe('aig-like');
    expect(profile.description).toBe('calibrated on 2 tape(s): AIG 2013-10-07, AIG 2013-10-08');
    expect(profile.price).toBeGreaterThan(45);
    expect(profile.price).toBeLessThan(52);
    expect(profile.baseSpreadTicks).toBe(1);
    expect(profile.openSpreadPeak).toBeGreaterThan(2);
    expect(r.stdout).toMatch(/^aig-like: calibrated on 2 tape/);
    expect(r.stdout).toMatch(/spread: base 1 tick\(s\), [\d.]+x at the open/);
    expect(r.stdout).toContain(`wrote ${out}`);
  });

  it('calibrates a generic CSV tape under the given name (no real data needed)', async () => {
    const dir = tempDir();
    const csv = writeTapeCsv(generateOpen(TQQQ_LIKE, '2024-03-04', 3), join(dir, 'tqqq_2024-03-04.csv'));
    const out = join(dir, 'mine.json');
    const r = await runInProcess(['synth', 'calibrate', '--tape', csv, '--out', out, '--name', 'my-tqqq']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const profile = validateProfile(JSON.parse(readFileSync(out, 'utf8')));
    expect(profile.name).toBe('my-tqqq');
    expect(profile.baseSpreadTicks).toBe(1);
    expect(Math.abs(profile.price - 60) / 60).toBeLessThan(0.02);
    // A CSV carries no opening-quote flag: the summary says the delay was fitted instead.
    expect(r.stdout).toMatch(/note: no opening-quote flag/);
  });

  it('fails with one line naming the problem', async () => {
    await expectOneLineError(['synth', 'calibrate', '--out', 'x.json'], /synth calibrate: missing --tape/);
    await expectOneLineError(['synth', 'calibrate', '--tape', 'x.csv'], /synth calibrate: missing --out/);
    await expectOneLineError(['synth', 'calibrate', '--tape', '/nonexistent/equity/usa/tick/aig/20131007_quote.zip', '--out', 'x.json'], /file not found/);
    await expectOneLineError(['synth', 'calibrate', '--tape', 'x.csv', '--out', 'x.json', '--name', ' '], /--name: must not be empty/);
  });

  it('refuses to guess a name for tapes of several symbols', async () => {
    const dir = tempDir();
    const a = writeTapeCsv(generateOpen(TQQQ_LIKE, '2024-03-04', 1), join(dir, 'aaa_2024-03-04.csv'));
    const b = writeTapeCsv(generateOpen(TQQQ_LIKE, '2024-03-04', 2), join(dir, 'bbb_2024-03-04.csv'));
    await expectOneLineError(['synth', 'calibrate', '--tape', a, '--tape', b, '--out', join(dir, 'p.json')], /several symbols \(aaa, bbb\).*--name/);
  });
});

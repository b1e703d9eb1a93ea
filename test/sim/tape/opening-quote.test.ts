import path from 'node:path';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { parseLeanTickQuotes, parseLeanTickQuotesWithOpening } from '../../../src/sim/tape/lean-tick.js';
import { loadTape } from '../../../src/sim/tape/load-tape.js';
import { bytes, edt, HAS_REAL_DATA, NO_REAL_DATA_REASON, REAL_DATA, tempDir, writeLeanZip } from './fixtures.js';

const DATE = '2013-10-07';
const MIDNIGHT = edt(DATE, '00:00:00');
const F = '20131007_xyz_Quote_Tick.csv';
const OPEN_MS = 34_200_000; // 09:30:00 ET
const opening = (rows: string[]) => parseLeanTickQuotesWithOpening(bytes(rows), MIDNIGHT, F).openingQuoteTime;
/** A bid row and its ask row at `ms` with condition flags `cond` (hex, as Lean writes them). */
const pair = (ms: number, cond = '1', suspicious = 0) => [`${ms},490000,100,0,0,N,${cond},${suspicious}`, `${ms},0,0,490100,100,N,${cond},${suspicious}`];

describe('opening quote detection in Lean tick quotes', () => {
  it('records the snapshot time of the first OpeningQuote (0x800) row at or after 09:30 ET', () => {
    const rows = [...pair(OPEN_MS - 5000), ...pair(OPEN_MS + 20), ...pair(OPEN_MS + 73_453, '800'), ...pair(OPEN_MS + 80_000, '800')];
    expect(opening(rows)).toBe(edt(DATE, '09:31:13.453'));
  });

  it('reads the flag from a combined bitmask, in either letter case', () => {
    expect(opening(pair(OPEN_MS + 1000, '801'))).toBe(MIDNIGHT + OPEN_MS + 1000);
    expect(opening(pair(OPEN_MS + 1000, '20000A01'))).toBe(MIDNIGHT + OPEN_MS + 1000);
    expect(opening(pair(OPEN_MS + 1000, '20000a01'))).toBe(MIDNIGHT + OPEN_MS + 1000);
  });

  it('is null without a flagged row, and ignores flags before 09:30, on suspicious rows and other bits', () => {
    expect(opening(pair(OPEN_MS + 1000))).toBeNull();
    expect(opening(pair(OPEN_MS - 1, '800'))).toBeNull(); // a pre-market flag is not the opening
    expect(opening([...pair(OPEN_MS + 1000, '800', 1), ...pair(OPEN_MS + 2000)])).toBeNull();
    expect(opening(pair(OPEN_MS + 1000, '8'))).toBeNull(); // Closing
    expect(opening(pair(OPEN_MS + 1000, '400'))).toBeNull();
  });

  it('treats an unreadable condition field as no flag, as before (the field was never validated)', () => {
    expect(opening([...pair(OPEN_MS + 1000, 'xyz'), ...pair(OPEN_MS + 2000, '123456789'), ...pair(OPEN_MS + 3000, '')])).toBeNull();
    expect(opening([...pair(OPEN_MS + 1000, 'zz'), ...pair(OPEN_MS + 2000, '800')])).toBe(MIDNIGHT + OPEN_MS + 2000);
  });

  it('leaves the quotes themselves exactly as parseLeanTickQuotes builds them', () => {
    const rows = [...pair(OPEN_MS - 5000), ...pair(OPEN_MS + 20, '800'), '34200030,490050,300,0,0,Q,1,0'];
    const withOpening = parseLeanTickQuotesWithOpening(bytes(rows), MIDNIGHT, F).quotes;
    expect(withOpening).toEqual(parseLeanTickQuotes(bytes(rows), MIDNIGHT, F));
    expect(withOpening.length).toBe(3);
  });

  it('reaches the Tape through loadTape; bar files cannot tell and give null', () => {
    const { dir, cleanup } = tempDir();
    try {
      const tick = writeLeanZip(dir, 'tick', 'XYZ', '20131007', 'quote', [...pair(OPEN_MS - 5000), ...pair(OPEN_MS + 1500, '800')]);
      expect(loadTape(tick).openingQuoteTime).toBe(MIDNIGHT + OPEN_MS + 1500);
      const minute = writeLeanZip(dir, 'minute', 'XYZ', '20131007', 'quote', [`${OPEN_MS},490000,490000,490000,490000,100,490100,490100,490100,490100,100`]);
      expect(loadTape(minute).openingQuoteTime).toBeNull();
    } finally {
      cleanup();
    }
  });
});

/** Independent reference: the first non-suspicious row at or after 09:30 whose flags have 0x800, read the plain way. */
function referenceOpening(zipPath: string): number | null {
  const text = new AdmZip(zipPath).getEntries()[0]!.getData().toString('utf8');
  for (const line of text.split('\n')) {
    const f = line.split(',');
    if (f.length < 8 || Number(f[0]) < OPEN_MS || f[7]!.trim() === '1') continue;
    if ((parseInt(f[6]!, 16) & 0x800) !== 0) return Number(f[0]);
  }
  return null;
}

const suite = HAS_REAL_DATA ? describe : describe.skip;
suite(HAS_REAL_DATA ? 'opening quote on the real AIG/BAC/IBM tick tapes' : `opening quote on real tapes (skipped: ${NO_REAL_DATA_REASON})`, () => {
  const files = ['aig', 'bac', 'ibm'].flatMap((sym) =>
    ['20131007', '20131008', '20131009'].map((day) => path.join(REAL_DATA, 'equity', 'usa', 'tick', sym, `${day}_quote.zip`)),
  );

  it('lies in 09:30-09:32 ET when the tape flags one, and matches a plain re-reading of the file', () => {
    let found = 0;
    for (const file of files) {
      const tape = loadTape(file);
      const midnight = edt(`${tape.date}`, '00:00:00');
      const ref = referenceOpening(file);
      expect(tape.openingQuoteTime ?? null, file).toBe(ref === null ? null : midnight + ref);
      if (tape.openingQuoteTime == null) continue;
      found++;
      expect(tape.openingQuoteTime, file).toBeGreaterThanOrEqual(edt(tape.date, '09:30:00'));
      expect(tape.openingQuoteTime, file).toBeLessThan(edt(tape.date, '09:32:00'));
    }
    // The flag only shows when NYSE itself sets the NBBO at its opening, which it does on 6 of these 9 days.
    expect(found).toBeGreaterThanOrEqual(6);
  }, 60_000);
});

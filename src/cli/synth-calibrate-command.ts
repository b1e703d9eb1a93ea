import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { calibrateOpen } from '../analysis/calibration/calibrate.js';
import { validateProfile, type OpenProfile } from '../sim/synthetic/open-profile.js';
import { UsageError } from './cli-error.js';
import { loadTapeArgs } from './data-command.js';
import type { synthCalibrateOptions } from './options/synth.js';


type SynthCalibrateArgs = Awaited<ReturnType<typeof synthCalibrateOptions>['argv']>;

function defaultName(symbols: readonly string[]): string {
  const distinct = [...new Set(symbols.map((s) => s.toLowerCase()))];
  if (distinct.length !== 1) throw new UsageError(`synth calibrate: the tapes hold several symbols (${distinct.join(', ')}); name the profile with --name`);
  return `${distinct[0]}-like`;
}

const fmt = (x: number, digits = 3): string => String(Number(x.toPrecision(digits)));

/** A few lines a trader can sanity-check before using the profile. */
export function summarizeProfile(p: OpenProfile): string {
  const [d0, d1] = p.primaryOpenDelaySeconds;
  return [
    `${p.name}: ${p.description}`,
    `  price $${fmt(p.price, 6)}, daily volatility ${fmt(p.dailyVolatility * 100)}%, opening gap sigma ${fmt(p.openGapSigma * 10_000)} bps`,
    `  spread: base ${fmt(p.baseSpreadTicks)} tick(s), ${fmt(p.openSpreadPeak)}x at the open, held ${fmt(d0)}-${fmt(d1)} s then e-folding ${fmt(p.openSpreadDecaySeconds)} s`,
    `  quotes/s: open ${fmt(p.quotesPerSecondOpen)}, midday ${fmt(p.quotesPerSecondMidday)}; trades/s: open ${fmt(p.tradesPerSecondOpen)}, midday ${fmt(p.tradesPerSecondMidday)}; activity e-folding ${fmt(p.openActivityDecaySeconds ?? 300)} s`,
    `  sizes: displayed ~${fmt(p.typicalSize)} shares, prints ~${fmt(p.tradeSize)} shares`,
  ].join('\n');
}

export function runSynthCalibrate(args: SynthCalibrateArgs): void {
  if (args.out === undefined || args.out === '') {
    throw new UsageError('synth calibrate: missing --out (usage: better-orders synth calibrate --tape FILE [--tape FILE ...] --out profile.json [--name NAME])');
  }
  if (args.name !== undefined && args.name.trim() === '') throw new UsageError('--name: must not be empty');
  const tapes = loadTapeArgs('synth calibrate', args);
  const name = args.name?.trim() ?? defaultName(tapes.map((t) => t.symbol));
  const { profile, notes } = calibrateOpen(tapes, name);
  // Validated again as written, so a file this command wrote is one `synth --profile` accepts.
  const text = `${JSON.stringify(validateProfile(profile), null, 2)}\n`;
  try {
    writeFileSync(args.out, text);
  } catch (err) {
    throw new UsageError(`--out ${args.out}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  process.stdout.write(`${summarizeProfile(profile)}\n`);
  for (const note of notes) process.stdout.write(`  note: ${note}\n`);
  process.stdout.write(`wrote ${args.out}\n`);
}

import { readJsonFile } from '../sim/read-json-file.js';
import type { Argv } from 'yargs';
import { nextTradingDays } from '../engine/calendar.js';
import { isValidDate, parseClock } from '../engine/et-time.js';
import { generateOpen, symbolForProfile } from '../sim/synthetic/index.js';
import type { OpenProfile } from '../sim/synthetic/open-profile.js';
import { validateShape, type ResolvedShape } from '../sim/synthetic/open-shape.js';
import { loadProfileRef } from '../sim/synthetic/profile-source.js';
import { writeLeanTickTape, type LeanTickFiles } from '../sim/tape/lean-writer.js';
import type { Tape } from '../sim/tape/tape.js';
import { UsageError } from './cli-error.js';
import { numberArg } from './number-arg.js';
import type { synthGenerateOptions } from './options/synth.js';


type SynthArgs = Awaited<ReturnType<typeof synthGenerateOptions>['argv']>;

function clock(flag: string, text: string): number {
  try {
    return parseClock(text);
  } catch {
    throw new UsageError(`--${flag}: expected an ET time HH:MM:SS, got "${text}"`);
  }
}

function readShape(file: string): ResolvedShape {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (err) {
    throw new UsageError(`--shape ${file}: ${(err as Error).message}`);
  }
  try {
    return validateShape(raw);
  } catch (err) {
    throw new UsageError(`--shape ${file}: ${(err as Error).message}`);
  }
}

interface SynthRequest {
  readonly profile: OpenProfile;
  readonly dates: readonly string[];
  readonly seed: string;
  readonly out: string;
  readonly from: string;
  readonly to: string;
  readonly shape: ResolvedShape | undefined;
  readonly symbol: string;
}

/** Checks every argument up front, so a bad one fails before any file is written. */
function parseRequest(args: SynthArgs): SynthRequest {
  const missing = (['profile', 'date', 'seed', 'out'] as const).filter((k) => args[k] === undefined || args[k] === '');
  if (missing.length > 0) throw new UsageError(`synth: missing ${missing.map((k) => `--${k}`).join(', ')} (usage: synth --profile NAME|FILE --date YYYY-MM-DD [--days N] --seed S --out DIR)`);
  const date = args.date!;
  if (!isValidDate(date)) throw new UsageError(`--date: expected YYYY-MM-DD, got "${date}"`);
  const days = args.days;
  if (!Number.isInteger(days) || days < 1 || days > 500) throw new UsageError(`--days: expected a whole number from 1 to 500, got ${String(days)}`);
  if (clock('to', args.to) <= clock('from', args.from)) throw new UsageError(`--to ${args.to} must be after --from ${args.from}`);
  let profile: OpenProfile;
  try {
    profile = loadProfileRef(args.profile!);
  } catch (err) {
    throw new UsageError(`--profile: ${(err as Error).message}`);
  }
  let dates: string[];
  try {
    dates = nextTradingDays(date, days);
  } catch (err) {
    throw new UsageError(`--date: ${(err as Error).message}`);
  }
  const symbol = args.symbol ?? symbolForProfile(profile.name);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(symbol)) {
    const fix = args.symbol === undefined ? `profile name "${profile.name}" gives symbol "${symbol}"; pass --symbol` : `--symbol: "${symbol}"`;
    throw new UsageError(`${fix} (a Lean folder name needs letters, digits, ".", "_" or "-")`);
  }
  const shape = args.shape === undefined ? undefined : readShape(args.shape);
  return { profile, dates, seed: args.seed!, out: args.out!, from: args.from, to: args.to, shape, symbol: symbol.toUpperCase() };
}

/** File-system failures (a file where the folder should be, no permission) are the user's to fix. */
function writeTape(tape: Tape, out: string): LeanTickFiles {
  try {
    return writeLeanTickTape(tape, out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new UsageError(`--out ${out}: cannot write ${(err as NodeJS.ErrnoException).path ?? 'the tape'} (${code})`);
  }
}

/**
 * `better-orders synth`: writes seeded synthetic opens as Lean tick files (quotes and trades, one
 * pair per trading day) that `backtest --tape <quote zip>` replays. Prints each file written, then
 * a one-line summary. Identical arguments write identical bytes.
 */
export function runSynthGenerate(args: SynthArgs): void {
  const r = parseRequest(args);
  let quotes = 0;
  let trades = 0;
  let held = 0;
  let first = '';
  for (const date of r.dates) {
    const tape = generateOpen(r.profile, date, r.seed, { fromEt: r.from, toEt: r.to, ...(r.shape === undefined ? {} : { shape: r.shape }) });
    const files = writeTape({ ...tape, symbol: r.symbol }, r.out);
    first ||= files.quoteFile;
    quotes += tape.quotes.length;
    trades += tape.trades?.length ?? 0;
    held += files.heldSides;
    process.stdout.write(`${files.quoteFile}\n`);
    if (files.tradeFile !== null) process.stdout.write(`${files.tradeFile}\n`);
  }
  // Zero sides are real inputs of the shape, but Lean's format reads 0 as "no change": say so.
  const heldNote = held > 0 ? `; ${held} zero-side snapshot(s) read back holding the previous side (Lean tick format)` : '';
  const span = r.dates.length === 1 ? r.dates[0] : `${r.dates[0]}..${r.dates[r.dates.length - 1]}`;
  process.stdout.write(
    `synth: ${r.dates.length} day(s) of ${r.symbol} (${r.profile.name}, seed ${r.seed}${r.shape === undefined ? '' : ', shaped'}) ${span} ${r.from}-${r.to} ET: ${quotes} quotes, ${trades} trades${heldNote}; replay: better-orders backtest --tape ${first}\n`,
  );
}

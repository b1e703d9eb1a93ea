import type { Qty } from '../../engine/units.js';
import type { Tape } from '../../sim/tape/tape.js';

/** The emulator was set up wrong (its tapes or its opening positions): one line saying which. */
export class EmulatorSetupError extends Error {}

/**
 * Why a set of tapes cannot make one venue, or null: the venue has one clock and one trading day,
 * and each symbol one book, so there must be at least one tape, one per symbol, all of one date.
 */
export function tapeSetProblem(tapes: readonly Tape[], name: (i: number) => string = (i) => `tape ${i + 1}`): string | null {
  if (tapes.length === 0) return 'no tape to replay';
  const first = new Map<string, number>();
  for (let i = 0; i < tapes.length; i++) {
    const t = tapes[i]!;
    const seen = first.get(t.symbol);
    if (seen !== undefined) return `${name(seen)} and ${name(i)} are both ${t.symbol}: give one tape per symbol`;
    first.set(t.symbol, i);
    if (t.date !== tapes[0]!.date) return `${name(0)} is ${tapes[0]!.symbol} on ${tapes[0]!.date} but ${name(i)} is ${t.symbol} on ${t.date}: give tapes of one date`;
  }
  return null;
}

/** Why opening positions do not fit the tapes, or null: every held symbol needs a tape to trade and value it. */
export function positionsProblem(positions: Readonly<Record<string, Qty>>, tapes: readonly Tape[]): string | null {
  const symbols = new Set(tapes.map((t) => t.symbol));
  const orphan = Object.keys(positions).find((s) => !symbols.has(s));
  return orphan === undefined ? null : `${orphan}: a position with no tape (give a --tape of ${orphan}, or leave it out)`;
}

import { z } from 'zod';

const clock = z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/, 'expected an ET time HH:MM or HH:MM:SS');
/** 6.5 hours: nothing about an open lasts longer than a regular session. */
const SESSION_SECONDS = 23_400;

/**
 * Spread widening around the open on a replayed tape (see widenSpreads): the half-spread is
 * multiplied by 1 + (peak - 1) * exp(-(t - open) / decay), with seeded noise on the excess.
 */
export const widenSchema = z.strictObject({
  /** Spread multiplier at 09:30; 1 leaves the tape as it is. */
  peak: z.number().min(1).max(50),
  /** e-folding time of the widening, in seconds after the open. */
  decaySeconds: z.number().positive().max(SESSION_SECONDS),
  /** Sigma of the lognormal noise on the widening; 0 makes it a smooth curve. */
  noise: z.number().min(0).max(2).default(0.2),
});

/** A trading halt cut into a tape (see haltTape): no quotes or prints inside, a price gap after. */
export const haltSchema = z.strictObject({
  /** ET wall time the halt starts. */
  at: clock,
  durationSeconds: z.number().positive().max(SESSION_SECONDS),
  /** Price move at the resumption, in bps of every later price (positive = gap up). */
  gapBps: z.number().min(-5_000).max(5_000).default(0),
});

export type WidenOptions = z.input<typeof widenSchema>;
export type HaltOptions = z.input<typeof haltSchema>;

/** The tape overlays of a scenario; absent ones are not applied. */
export interface Overlays {
  readonly widen?: WidenOptions | undefined;
  readonly halt?: HaltOptions | undefined;
}

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60 };

/**
 * Parses the command-line form `peak=4,decay=90s[,noise=0.1]` (decay in `ms`, `s` or `m`).
 * @throws RangeError naming the bad part, in one line.
 */
export function parseWidenSpec(text: string): z.output<typeof widenSchema> {
  const raw: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = /^\s*(\w+)\s*=\s*(\S+)\s*$/.exec(part);
    const bad = (why: string): never => {
      throw new RangeError(`bad part "${part}": ${why} (expected peak=4,decay=90s[,noise=0.2])`);
    };
    if (m === null) bad('expected key=value');
    const [, key, value] = m!;
    const field = key === 'peak' ? 'peak' : key === 'decay' ? 'decaySeconds' : key === 'noise' ? 'noise' : bad(`unknown key "${key}"`);
    if (field in raw) bad(`"${key}" is given twice`);
    if (field === 'decaySeconds') {
      const d = DURATION_RE.exec(value!);
      if (d === null) bad('expected a duration such as 90s, 1500ms or 2m');
      raw[field] = Number(d![1]) * UNIT_SECONDS[d![2]!]!;
    } else {
      if (!/^\d+(\.\d+)?$/.test(value!)) bad('expected a non-negative number');
      raw[field] = Number(value);
    }
    const range = widenSchema.shape[field].safeParse(raw[field]);
    if (!range.success) bad(range.error.issues[0]!.message);
  }
  for (const [key, field] of [['peak', 'peak'], ['decay', 'decaySeconds']] as const) {
    if (!(field in raw)) throw new RangeError(`"${key}" is missing (expected peak=4,decay=90s[,noise=0.2])`);
  }
  return widenSchema.parse(raw);
}

import type { EpochMs } from '../../engine/units.js';

/**
 * Wall-clock replay: venue time starts at `startMs` (a moment of the tape's day) when the clock is
 * created and runs `speed` times faster than the wall clock. Reads a monotonic source, so a
 * system clock adjustment cannot move the venue back in time.
 */
export class ReplayClock {
  private readonly wall0: number;

  constructor(
    readonly startMs: EpochMs,
    readonly speed: number,
    private readonly wallNow: () => number = () => performance.now(),
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`invalid speed ${speed}: expected a positive number`);
    this.wall0 = wallNow();
  }

  now(): EpochMs {
    return Math.floor(this.startMs + (this.wallNow() - this.wall0) * this.speed);
  }
}

import type { EpochMs } from '../../engine/units.js';
import type { DriverClock } from './broker-port.js';

/**
 * The live Clock port: venue time anchored on the broker's clock, advancing `speed` times the
 * monotonic wall clock (1 against Alpaca; the emulator's replay speed against the emulator).
 * Timers are real `setTimeout`s scaled back to wall time.
 */
export class VenueClock implements DriverClock {
  private readonly wall0 = performance.now();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly anchorMs: EpochMs,
    readonly speed = 1,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`invalid clock speed ${speed}`);
  }

  /** Venue time, epoch ms. */
  now(): EpochMs {
    return Math.floor(this.anchorMs + (performance.now() - this.wall0) * this.speed);
  }

  /** Calls `fn` once venue time reaches `at` (at once if it has passed). */
  setTimer(at: EpochMs, fn: () => void): void {
    const handle = setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, Math.max(0, (at - this.now()) / this.speed));
    this.timers.add(handle);
  }

  every(wallMs: number, fn: () => void): () => void {
    const handle = setInterval(fn, wallMs);
    return () => clearInterval(handle);
  }

  /** Wall-clock milliseconds for a venue duration. */
  wallMs(venueMs: number): number {
    return venueMs / this.speed;
  }

  cancelAll(): void {
    for (const h of this.timers) clearTimeout(h);
    this.timers.clear();
  }
}

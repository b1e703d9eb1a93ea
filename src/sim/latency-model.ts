import type { EpochMs } from '../engine/units.js';
import type { FillModelConfig } from './fill-model-config.js';

export type LatencyKind = 'submit' | 'cancel' | 'replace' | 'report';

/**
 * Draws one-way latencies: base + uniform(0, jitter), scaled by a factor that starts at
 * `openMultiplier` at the open and decays toward 1, because brokers and exchanges are slowest in
 * the opening rush. `uniform` is the execution's seeded generator.
 */
export class LatencyModel {
  constructor(
    private readonly cfg: FillModelConfig['latency'],
    private readonly openTime: EpochMs | null,
    private readonly uniform: () => number,
  ) {}

  draw(kind: LatencyKind, t: EpochMs): number {
    const base = { submit: this.cfg.submitMs, cancel: this.cfg.cancelMs, replace: this.cfg.replaceMs, report: this.cfg.reportMs }[kind];
    const raw = base + this.uniform() * this.cfg.jitterMs;
    return Math.round(raw * this.openFactor(t));
  }

  private openFactor(t: EpochMs): number {
    if (this.openTime === null || t < this.openTime) return 1;
    return 1 + (this.cfg.openMultiplier - 1) * Math.exp(-(t - this.openTime) / this.cfg.openDecayMs);
  }
}

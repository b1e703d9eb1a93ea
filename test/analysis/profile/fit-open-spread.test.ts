import { describe, expect, it } from 'vitest';
import { fitSpreadShape, medianExcess, predictWindowMedians } from '../../../src/analysis/profile/fit-open-spread.js';
import { fitActivity, meanDecay } from '../../../src/analysis/profile/fit-activity.js';

const WINDOWS = [[0, 60], [60, 120], [120, 300], [300, 1800], [1800, 3600]].map(([fromS, toS]) => ({ fromS: fromS!, toS: toS!, medianTicks: 0 }));

describe('medianExcess', () => {
  it('is the excess at the middle of the window for one delay (a monotone curve)', () => {
    expect(medianExcess(0, 60, 90, [0])).toBeCloseTo(Math.exp(-30 / 90), 9);
    expect(medianExcess(120, 300, 50, [10])).toBeCloseTo(Math.exp(-(210 - 10) / 50), 9);
  });

  it('is 1 while the opening quote holds the peak for most of the window', () => {
    expect(medianExcess(0, 60, 90, [45])).toBe(1);
    expect(medianExcess(0, 60, 90, [10, 30])).toBeLessThan(1); // held a third of the window on average
  });
});

describe('fitSpreadShape', () => {
  it('recovers a known shape from its own window medians', () => {
    const base = 10;
    const truth = predictWindowMedians(base, 4, 150, [5, 5], WINDOWS);
    const obs = WINDOWS.map((w, k) => ({ ...w, medianTicks: truth[k]! }));
    const fit = fitSpreadShape(base, obs, [5, 5], [1, 20]);
    expect(Math.abs(fit.peak - 4) / 4).toBeLessThan(0.05);
    expect(Math.abs(fit.decaySeconds - 150) / 150).toBeLessThan(0.15);
    expect(fit.delaySeconds).toEqual([5, 5]);
    fit.predicted.forEach((p, k) => expect(Math.abs(p - truth[k]!) / truth[k]!).toBeLessThan(0.08));
  });

  it('fits the delay from the shape when no tape flags the opening quote', () => {
    const truth = predictWindowMedians(10, 6, 200, [30, 90], WINDOWS);
    const fit = fitSpreadShape(10, WINDOWS.map((w, k) => ({ ...w, medianTicks: truth[k]! })), null, [1, 20]);
    expect(fit.delaySeconds[0]).toBeGreaterThan(10);
    expect(Math.abs(fit.peak - 6) / 6).toBeLessThan(0.15);
  });

  it('reports no widening, with neutral decay and the fallback delay, for a flat spread', () => {
    const fit = fitSpreadShape(1, WINDOWS.map((w) => ({ ...w, medianTicks: 1 })), null, [1, 20]);
    expect(fit).toMatchObject({ peak: 1, decaySeconds: 60, delaySeconds: [1, 20] });
  });
});

describe('fitActivity', () => {
  const windows = (open: number, midday: number, tau: number) =>
    [[0, 60], [60, 120], [120, 300], [300, 600], [600, 1200], [1200, 1800], [1800, 23_400]].map(([fromS, toS]) => ({
      fromS: fromS!, toS: toS!, rate: midday + (open - midday) * meanDecay(fromS!, toS!, tau),
    }));

  it('recovers open and midday rates and the shared decay', () => {
    const fit = fitActivity(windows(30, 3, 300), windows(10, 2, 300));
    expect(Math.abs(fit.decaySeconds - 300) / 300).toBeLessThan(0.06);
    expect(Math.abs(fit.quotes.open - 30) / 30).toBeLessThan(0.05);
    expect(Math.abs(fit.quotes.midday - 3) / 3).toBeLessThan(0.05);
    expect(Math.abs(fit.trades!.open - 10) / 10).toBeLessThan(0.05);
  });

  it('allows an open quieter than midday and no trades', () => {
    const fit = fitActivity(windows(2, 12, 900), null);
    expect(fit.trades).toBeNull();
    expect(fit.quotes.open).toBeLessThan(fit.quotes.midday);
    expect(Math.abs(fit.quotes.midday - 12) / 12).toBeLessThan(0.05);
  });

  it('keeps rates positive and refuses an empty input', () => {
    const fit = fitActivity([{ fromS: 0, toS: 60, rate: 0 }, { fromS: 60, toS: 120, rate: 5 }], null);
    expect(fit.quotes.open).toBeGreaterThan(0);
    expect(fit.quotes.midday).toBeGreaterThan(0);
    expect(() => fitActivity([], null)).toThrow(RangeError);
  });
});

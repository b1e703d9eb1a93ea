/**
 * The baselines written as ladder configurations (README, "The ladder family"): the same limits,
 * timeouts and fallback from the ladder's own settings, with the ladder's extras (the slippage
 * guard, the open wait and the pre-market assessment) switched off, as the baselines have none.
 */
const BASELINE_LIKE = {
  timeouts: { openMs: 10_000, normalMs: 10_000 },
  fallback: { mode: 'market', timeoutMs: 30_000 },
  repegMode: 'cancel',
  maxSlippageBps: null,
  openWaitMs: 0,
  premarketAssessment: { enabled: false },
} as const;

/** progressive: the mid, then 75% and 95% of the spread from the near side, 10 s apart, then market. */
export const PROGRESSIVE_MEMBER = {
  ladder: {
    ...BASELINE_LIKE,
    maxRepegs: 2,
    entry: { tight: 0.5, normal: 0.5, wide: 0.5 },
    repegStep: { mode: 'list', fractions: [0.75, 0.95] },
  },
};

/** passive: join the near side, then the progressive steps. */
export const PASSIVE_MEMBER = {
  ladder: {
    ...BASELINE_LIKE,
    maxRepegs: 3,
    entry: { tight: 0, normal: 0, wide: 0 },
    repegStep: { mode: 'list', fractions: [0.5, 0.75, 0.95] },
  },
};

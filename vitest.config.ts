import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests and CLI end-to-end runs are CPU-bound; two forks match the 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
    // One module cache per worker rather than per file: re-importing the engine, the SDK and
    // fast-check for each of ~150 files was about half the suite's CPU time. Tests share no
    // mutable module state (no vi.mock, no fake timers, env changes restored), so files stay
    // independent; a test that relies on a fresh module would be a defect to fix, not isolate.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

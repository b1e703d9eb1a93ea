import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../../src/sim/plan/build-plan.js';
import { DEFAULT_CONFIG, parseConfig } from '../../../src/engine/config.js';
import { applyCandidate } from '../../../src/analysis/tune/apply-candidate.js';
import { randomCandidates, validCandidates } from '../../../src/analysis/tune/candidates.js';
import { DEFAULT_SEARCH_SPACE } from '../../../src/analysis/tune/search-space.js';
import { winnerConfig } from '../../../src/analysis/tune/winner-config.js';

const BASE = parseConfig({
  symbols: ['TQQQ', 'SOXL'],
  ladder: { maxRepegs: 3, timeouts: { openMs: 1500 } },
  overrides: { SOXL: { aggressionTicks: 2, spread: { tightCents: 2 } } },
});

describe('winnerConfig', () => {
  it('round-trips through JSON and parseConfig to exactly the tuned configuration', () => {
    const { valid } = validCandidates(BASE, randomCandidates(DEFAULT_SEARCH_SPACE, 60, 3));
    for (const candidate of [...valid, {}, { maxSlippageBps: null }]) {
      const raw = winnerConfig(BASE, candidate);
      expect(parseConfig(JSON.parse(JSON.stringify(raw)))).toEqual(applyCandidate(BASE, candidate));
    }
  });

  it('writes every ladder field, and overrides as what differs from the ladder', () => {
    const raw = winnerConfig(BASE, { aggressionTicks: 0, 'timeouts.normalMs': 2500 }) as {
      enabled: boolean;
      symbols: string[];
      ladder: Record<string, unknown>;
      overrides: Record<string, Record<string, unknown>>;
    };
    expect(raw.enabled).toBe(true);
    expect(raw.symbols).toEqual(['TQQQ', 'SOXL']);
    expect(Object.keys(raw.ladder).sort()).toEqual(Object.keys(DEFAULT_CONFIG.ladder).sort());
    expect(raw.ladder.timeouts).toMatchObject({ openMs: 1500, normalMs: 2500, tight: { openMs: null, normalMs: null } });
    // The tuned field is the same on SOXL now; its own spread threshold stays.
    expect(raw.overrides).toEqual({ SOXL: { spread: { tightCents: 2 } } });
  });

  it('is a file that backtest --config accepts unchanged', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bo-winner-')), 'best.json');
    const candidate = { 'timeouts.openMs': 800, 'fallback.mode': 'limit-at-guard', maxSlippageBps: 30 };
    writeFileSync(file, `${JSON.stringify(winnerConfig(BASE, candidate), null, 2)}\n`);
    expect(readConfigFile(file)).toEqual(applyCandidate(BASE, candidate));
  });

  it('throws the ConfigError of an invalid candidate', () => {
    expect(() => winnerConfig(BASE, { 'spread.wideCents': 1 })).toThrow(/^ladder\.spread\.tightCents: tightCents must be <= wideCents$/);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, parseConfig } from '../../../src/engine/config.js';
import { applyCandidate } from '../../../src/analysis/tune/apply-candidate.js';
import { gridCandidates, randomCandidates, validCandidates } from '../../../src/analysis/tune/candidates.js';
import { DEFAULT_SEARCH_SPACE, parseSearchSpace, SearchSpaceError, TUNABLE_FIELDS } from '../../../src/analysis/tune/search-space.js';

/** The error a thunk throws (fails the test when it throws nothing). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

const WITH_OVERRIDE = parseConfig({ symbols: [], ladder: { maxRepegs: 2 }, overrides: { SOXL: { maxRepegs: 3, spread: { tightCents: 2 } } } });

describe('applyCandidate', () => {
  it('sets dotted ladder fields in the ladder and in every override, and re-validates', () => {
    const c = applyCandidate(WITH_OVERRIDE, { 'timeouts.openMs': 1500, maxRepegs: 4, 'fallback.mode': 'stop', maxSlippageBps: null });
    expect(c.ladder.timeouts).toMatchObject({ openMs: 1500, normalMs: 3000, wide: { openMs: null, normalMs: null } });
    expect(c.ladder.maxRepegs).toBe(4);
    expect(c.ladder.fallback.mode).toBe('stop');
    expect(c.ladder.maxSlippageBps).toBeNull();
    // The override's own maxRepegs is replaced (a candidate means the same on every symbol); its other settings stay.
    expect(c.overrides.SOXL!.maxRepegs).toBe(4);
    expect(c.overrides.SOXL!.spread.tightCents).toBe(2);
    expect(c.overrides.SOXL!.timeouts.openMs).toBe(1500);
    // The input is untouched.
    expect(WITH_OVERRIDE.ladder.maxRepegs).toBe(2);
    expect(WITH_OVERRIDE.overrides.SOXL!.maxRepegs).toBe(3);
  });

  it('returns the configuration itself for an empty candidate', () => {
    expect(applyCandidate(DEFAULT_CONFIG, {})).toBe(DEFAULT_CONFIG);
  });

  it('throws a ConfigError naming the field for an unknown field', () => {
    for (const field of ['maxRepeg', 'timeouts.open', 'timeouts', 'spread.tightCents.x']) {
      const err = thrown(() => applyCandidate(DEFAULT_CONFIG, { [field]: 1 }));
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe(`ladder.${field}`);
      expect(err.message).toMatch(new RegExp(`^ladder\\.${field.replaceAll('.', '\\.')}: unknown ladder field`));
    }
  });

  it('throws a ConfigError naming the field for an invalid value or combination', () => {
    const cases: [Record<string, number | string | null>, string][] = [
      [{ 'timeouts.openMs': 0 }, 'ladder.timeouts.openMs'],
      [{ maxRepegs: 1.5 }, 'ladder.maxRepegs'],
      [{ 'fallback.mode': 'pray' }, 'ladder.fallback.mode'],
      [{ aggressionTicks: 'many' }, 'ladder.aggressionTicks'],
      [{ 'spread.tightCents': 9 }, 'ladder.spread.tightCents'],
      [{ 'fallback.mode': 'limit-at-guard', maxSlippageBps: null }, 'ladder.fallback.mode'],
    ];
    for (const [candidate, field] of cases) {
      const err = thrown(() => applyCandidate(WITH_OVERRIDE, candidate));
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe(field);
      expect(err.message.startsWith(`${field}: `)).toBe(true);
    }
  });
});

describe('gridCandidates', () => {
  it('is the cartesian product, first field slowest', () => {
    const grid = gridCandidates({ maxRepegs: { values: [1, 2] }, 'fallback.mode': { values: ['market', 'stop', 'limit-at-guard'] } });
    expect(grid).toEqual([
      { maxRepegs: 1, 'fallback.mode': 'market' },
      { maxRepegs: 1, 'fallback.mode': 'stop' },
      { maxRepegs: 1, 'fallback.mode': 'limit-at-guard' },
      { maxRepegs: 2, 'fallback.mode': 'market' },
      { maxRepegs: 2, 'fallback.mode': 'stop' },
      { maxRepegs: 2, 'fallback.mode': 'limit-at-guard' },
    ]);
    expect(gridCandidates({ maxRepegs: { values: [1, 2] } })).toEqual(gridCandidates({ maxRepegs: { values: [1, 2] } }));
  });

  it('refuses a range, naming the field', () => {
    const err = thrown(() => gridCandidates({ maxRepegs: { values: [1] }, 'timeouts.openMs': { min: 500, max: 3000 } }));
    expect(err).toBeInstanceOf(SearchSpaceError);
    expect((err as SearchSpaceError).field).toBe('timeouts.openMs');
    expect(err.message).toMatch(/^timeouts\.openMs: a range/);
  });
});

describe('randomCandidates', () => {
  it('is deterministic for a seed, sensitive to it, and prefix-stable', () => {
    const a = randomCandidates(DEFAULT_SEARCH_SPACE, 50, 7);
    expect(randomCandidates(DEFAULT_SEARCH_SPACE, 50, 7)).toEqual(a);
    expect(randomCandidates(DEFAULT_SEARCH_SPACE, 50, 8)).not.toEqual(a);
    expect(randomCandidates(DEFAULT_SEARCH_SPACE, 10, 7)).toEqual(a.slice(0, 10));
    expect(randomCandidates(DEFAULT_SEARCH_SPACE, 0, 7)).toEqual([]);
  });

  it('draws integers for integer ranges, 2-decimal floats otherwise, and list members, all inside the space', () => {
    const space = { maxRepegs: { min: 0, max: 3, integer: true }, maxSlippageBps: { min: 10.5, max: 11.25 }, repegMode: { values: ['cancel', 'replace'] } };
    const draws = randomCandidates(space, 400, 'x');
    const repegs = new Set(draws.map((c) => c.maxRepegs));
    expect([...repegs].sort()).toEqual([0, 1, 2, 3]);
    for (const c of draws) {
      const bps = c.maxSlippageBps as number;
      expect(bps).toBeGreaterThanOrEqual(10.5);
      expect(bps).toBeLessThanOrEqual(11.25);
      expect(Math.round(bps * 100) / 100).toBe(bps);
    }
    expect(new Set(draws.map((c) => c.repegMode))).toEqual(new Set(['cancel', 'replace']));
  });

  it('covers every tunable field with the default space, and most draws are valid configurations', () => {
    expect(Object.keys(DEFAULT_SEARCH_SPACE).sort()).toEqual([...TUNABLE_FIELDS].sort());
    // The default space is itself a valid search-space file.
    expect(parseSearchSpace(JSON.parse(JSON.stringify(DEFAULT_SEARCH_SPACE)), 'default')).toEqual(DEFAULT_SEARCH_SPACE);
    const { valid, skipped } = validCandidates(DEFAULT_CONFIG, randomCandidates(DEFAULT_SEARCH_SPACE, 200, 1));
    expect(valid.length + skipped).toBe(200);
    expect(valid.length).toBeGreaterThan(150);
  });
});

describe('validCandidates', () => {
  it('keeps valid candidates in order and counts the skipped ones', () => {
    const grid = gridCandidates({ 'spread.tightCents': { values: [2, 6] }, 'spread.wideCents': { values: [5, 8] } });
    const r = validCandidates(DEFAULT_CONFIG, grid);
    expect(r.valid).toEqual([
      { 'spread.tightCents': 2, 'spread.wideCents': 5 },
      { 'spread.tightCents': 2, 'spread.wideCents': 8 },
      { 'spread.tightCents': 6, 'spread.wideCents': 8 },
    ]);
    expect(r.indices).toEqual([0, 1, 3]);
    expect(r.skipped).toBe(1);
    expect(r.firstError).toBe('ladder.spread.tightCents: tightCents must be <= wideCents');
  });
});

describe('parseSearchSpace', () => {
  it('reads values, bare arrays and ranges, inferring integer ranges', () => {
    const space = parseSearchSpace(
      { 'timeouts.openMs': [1000, 2000], maxRepegs: { values: [0, 2] }, aggressionTicks: { min: 0, max: 3 }, 'spread.tightBps': { min: 2, max: 8 } },
      'grid.json',
    );
    expect(space).toEqual({
      'timeouts.openMs': { values: [1000, 2000] },
      maxRepegs: { values: [0, 2] },
      aggressionTicks: { min: 0, max: 3, integer: true },
      'spread.tightBps': { min: 2, max: 8, integer: false },
    });
  });

  it('fails with one line naming the file and the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ maxRepeg: [1] }, /^grid\.json: maxRepeg: unknown ladder field$/],
      [{ timeouts: [1] }, /^grid\.json: timeouts: is a group of fields; name a leaf such as "timeouts\.openMs"$/],
      [{ maxRepegs: [] }, /^grid\.json: maxRepegs: values is empty$/],
      [{ maxRepegs: { values: [] } }, /^grid\.json: maxRepegs: values is empty$/],
      [{ maxRepegs: { min: 4, max: 2 } }, /^grid\.json: maxRepegs: min \(4\) > max \(2\)$/],
      [{ maxRepegs: [1, 99] }, /^grid\.json: maxRepegs: value 99 is invalid: Too big/],
      [{ 'fallback.mode': ['market', 'hope'] }, /^grid\.json: fallback\.mode: value "hope" is invalid: Invalid option/],
      [{ maxRepegs: { min: 0, max: 3, integer: false } }, /^grid\.json: maxRepegs: takes integers only/],
      [{ maxRepegs: { min: 0, max: 3, step: 1 } }, /^grid\.json: maxRepegs: step: unknown key/],
      [{ maxRepegs: { values: [true] } }, /^grid\.json: maxRepegs: values\.0: /],
      [{ maxRepegs: 3 }, /^grid\.json: maxRepegs: .*expected \{"values"/],
      [{}, /^grid\.json: no fields to tune$/],
      [[1, 2], /^grid\.json: expected an object/],
    ];
    for (const [raw, message] of cases) {
      const err = thrown(() => parseSearchSpace(raw, 'grid.json'));
      expect(err).toBeInstanceOf(SearchSpaceError);
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain('\n');
    }
  });

  it('accepts values valid alone even if some combinations are not (those are skipped later)', () => {
    const space = parseSearchSpace({ 'spread.tightCents': [2, 9], 'spread.wideCents': [5, 10] }, 'g');
    expect(validCandidates(DEFAULT_CONFIG, gridCandidates(space)).skipped).toBe(1);
  });
});

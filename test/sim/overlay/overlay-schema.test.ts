import { describe, expect, it } from 'vitest';
import { applyOverlays } from '../../../src/sim/overlay/apply-overlays.js';
import { haltTape } from '../../../src/sim/overlay/halt.js';
import { parseWidenSpec } from '../../../src/sim/overlay/overlay-schema.js';
import { widenSpreads } from '../../../src/sim/overlay/widen-spreads.js';
import { parseScenario } from '../../../src/sim/scenario/load-scenario.js';
import { MIN, buildTape, steadyQuotes } from '../tape-builder.js';

describe('parseWidenSpec (the --widen value)', () => {
  it.each([
    ['peak=4,decay=90s', { peak: 4, decaySeconds: 90, noise: 0.2 }],
    ['peak=2.5,decay=1500ms', { peak: 2.5, decaySeconds: 1.5, noise: 0.2 }],
    ['decay=2m, peak=3 ,noise=0.1', { peak: 3, decaySeconds: 120, noise: 0.1 }],
    ['peak=1,decay=0.5s,noise=0', { peak: 1, decaySeconds: 0.5, noise: 0 }],
  ])('%s', (text, expected) => {
    expect(parseWidenSpec(text)).toEqual(expected);
  });

  it.each([
    ['peak=4', /"decay" is missing/],
    ['decay=90s', /"peak" is missing/],
    ['peak=4,decay=90', /bad part "decay=90": expected a duration such as 90s, 1500ms or 2m/],
    ['peak=4,decay=90h', /bad part "decay=90h"/],
    ['peak=four,decay=90s', /bad part "peak=four": expected a non-negative number/],
    ['peak=0.5,decay=90s', /bad part "peak=0.5": Too small/],
    ['peak=4,decay=0s', /bad part "decay=0s"/],
    ['peak=4,decay=90s,noise=9', /bad part "noise=9": Too big/],
    ['peak=4,decay=90s,sigma=1', /bad part "sigma=1": unknown key "sigma"/],
    ['peak=4,decay=90s,peak=5', /bad part "peak=5": "peak" is given twice/],
    ['peak=4;decay=90s', /bad part "peak=4;decay=90s"/],
    ['', /bad part "": expected key=value/],
  ])('%s is refused in one line naming the bad part', (text, message) => {
    let err: unknown;
    try {
      parseWidenSpec(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('scenario overlay fields', () => {
  const base = { name: 's', data: { tapes: ['/a.csv'] } };

  it('are optional, and filled with their defaults when given', () => {
    expect(parseScenario(base, 's.json').widen).toBeUndefined();
    const s = parseScenario({ ...base, widen: { peak: 3, decaySeconds: 60 }, halt: { at: '09:31:00', durationSeconds: 90 } }, 's.json');
    expect(s.widen).toEqual({ peak: 3, decaySeconds: 60, noise: 0.2 });
    expect(s.halt).toEqual({ at: '09:31:00', durationSeconds: 90, gapBps: 0 });
  });

  it('name the bad field', () => {
    expect(() => parseScenario({ ...base, widen: { peak: 0, decaySeconds: 60 } }, 's.json')).toThrow(/s\.json: widen\.peak: Too small/);
    expect(() => parseScenario({ ...base, widen: { peak: 2, decaySeconds: 60, decay: 60 } }, 's.json')).toThrow(/widen\.decay: unknown field/);
    expect(() => parseScenario({ ...base, halt: { at: '9:31', durationSeconds: 60 } }, 's.json')).toThrow(/halt\.at: expected an ET time/);
  });
});

describe('applyOverlays', () => {
  const tape = buildTape(steadyQuotes(0, 5 * MIN, { bid: 50, spread: 0.02 }));
  const widen = { peak: 4, decaySeconds: 60 };
  const halt = { at: '09:31:00', durationSeconds: 30, gapBps: 50 };

  it('widens, then halts; with no overlay the tape is returned as it is', () => {
    expect(applyOverlays(tape, {}, 1)).toBe(tape);
    expect(applyOverlays(tape, { widen }, 1)).toEqual(widenSpreads(tape, widen, 1));
    expect(applyOverlays(tape, { widen, halt }, 1)).toEqual(haltTape(widenSpreads(tape, widen, 1), halt));
  });

});

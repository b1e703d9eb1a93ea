/**
 * Late fills (DESIGN.md "Trading for real": a late fill on a terminal child still counts): a
 * broker can report a fill for a child the machine already ended (a cancel that lost its race and
 * was reported out of order, an order the live driver took for absent after an ambiguous submit).
 * The fill counts toward the parent, the next child is sized from the true remainder, a live
 * child left larger than the remainder is cancelled, and the filled quantity never exceeds the
 * target. The realistic broker model mixed with late fills, then examples.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../../src/engine/execution/types.js';
import type { EpochMs, Side } from '../../../src/engine/units.js';
import { dtArb, EventCmd, realisticCommands, type Cmd } from './commands.js';
import { et, Harness, isLive, isTerminal, kinds, setupArb, setupFor, SHARE, submitted, usd, type BrokerModel, type Setup } from './harness.js';
import type { DriveOptions } from './invariants.js';

/** Children the broker ended that still have unfilled quantity: where a late fill can land. */
const endedWithRoom = (m: Readonly<BrokerModel>) => m.children.filter((c) => isTerminal(c.status) && c.qty - c.filled > 0 && !c.awaitingReplace);

/** A late fill: part or all of an ended child's unfilled quantity, at its limit (or the reference price). */
const lateFillCmd = fc.tuple(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), dtArb).map(
  ([i, f, dt]) =>
    new EventCmd(`lateFill(#${i},${f.toFixed(2)},+${dt})`, (m) => endedWithRoom(m).length > 0, (m): ExecutionEvent => {
      const ended = endedWithRoom(m);
      const c = ended[i % ended.length]!;
      const room = c.qty - c.filled;
      return { type: 'fill', time: m.now + dt, clientOrderId: c.id, qty: Math.max(1, Math.floor(room * f)), price: c.limitPrice ?? m.ref };
    }),
);

const commands: fc.Arbitrary<Cmd>[] = [...realisticCommands, lateFillCmd, lateFillCmd, lateFillCmd];

/**
 * The harness with one more check after every transition, judged on the broker model: while the
 * machine is in 'working', the child working at the broker never has more unfilled quantity than
 * the parent still needs (else a late fill would let the broker fill past the target).
 */
class LateFillHarness extends Harness {
  override feed(event: ExecutionEvent) {
    const actions = super.feed(event);
    const m = this.model;
    const live = m.children.find(isLive);
    if (this.state.phase === 'working' && live !== undefined) {
      const unfilled = live.qty - live.filled;
      const remaining = m.target - m.countedFills();
      if (unfilled > remaining) throw new Error(`after ${JSON.stringify(event)}: ${live.id} works ${unfilled}, only ${remaining} remaining`);
    }
    return actions;
  }
}

const driveArb: fc.Arbitrary<DriveOptions> = fc.record({ confirmCancels: fc.boolean(), rejectSubmits: fc.constant(false), replaceReply: fc.constantFrom('confirm', 'reject', 'none') });

describe('late fills on terminal children (model-based)', () => {
  it('count toward the parent: invariants 1-10 hold, every child is sized from the true remainder, no live child outgrows it', () => {
    let lateFills = 0;
    fc.assert(
      fc.property(setupArb, fc.commands(commands, { maxCommands: 80, size: 'max' }), driveArb, (setup: Setup, cmds, drive) => {
        const box: { h?: LateFillHarness } = {};
        fc.modelRun(() => {
          box.h = new LateFillHarness(setup);
          return { model: box.h.model, real: box.h };
        }, cmds);
        const h = box.h!;
        h.finish(drive);
        lateFills += h.log.filter((s) => s.transition.actions.some((a) => a.kind === 'alert' && a.detail.startsWith('late fill'))).length;
        // What the broker filled is what the machine counts, to the share, and never above target.
        expect(h.state.filledQty).toBe(h.model.countedFills());
        expect(h.state.filledQty).toBeLessThanOrEqual(setup.request.qty);
      }),
      { numRuns: 600 },
    );
    // The property exercised what it is about.
    expect(lateFills).toBeGreaterThan(50);
  });
});

const T0 = et('10:00');
const ladder = (side: Side = 'buy') => new Harness(setupFor('ladder', { ladder: { maxRepegs: 2, maxSlippageBps: null } }, { side, qty: 100 * SHARE, decisionTime: T0, quote: { time: T0, bid: usd(60), ask: usd(60.01), bidSize: 100, askSize: 100 } }));
const at = (ms: number): EpochMs => T0 + ms;

describe('late fills, examples', () => {
  it('a late fill on a cancelled child while the next one works: the over-sized child is cancelled, the next is for the true remainder', () => {
    const h = ladder();
    h.fill('x1:1', 40 * SHARE, usd(60.01), at(100));
    h.fireTimer(); // cancel x1:1
    const second = submitted(h.cancelled('x1:1', at(3_100)));
    expect(second).toMatchObject({ clientOrderId: 'x1:2', qty: 60 * SHARE });
    // The broker's truth: x1:1 had filled 10 more before its cancel took effect.
    const late = h.fill('x1:1', 10 * SHARE, usd(60.01), at(3_200));
    expect(late).toContainEqual({ kind: 'alert', code: 'unexpected-fill', detail: `late fill of ${10 * SHARE} for x1:1 on cancelled child; counted` });
    expect(kinds(late)).toContain('cancel');
    expect(h.state).toMatchObject({ filledQty: 50 * SHARE, phase: 'cancelling', liveChild: 'x1:2' });
    h.quote(at(3_300), usd(60), usd(60.01));
    expect(submitted(h.cancelled('x1:2', at(3_400)))).toMatchObject({ clientOrderId: 'x1:3', qty: 50 * SHARE });
  });

  it('a late fill that completes the parent while it waits for a quote finishes it filled', () => {
    const h = ladder();
    h.fill('x1:1', 70 * SHARE, usd(60.01), at(100));
    h.fireTimer();
    h.cancelled('x1:1', at(9_000)); // the last quote is stale by now: no child is sent
    expect(h.state.phase).toBe('awaiting-quote');
    const end = h.fill('x1:1', 30 * SHARE, usd(60.01), at(9_100));
    expect(kinds(end)).toEqual(['alert', 'finish']);
    expect(h.state.outcome).toMatchObject({ status: 'filled', reason: null });
  });

  it('after the end, a late fill turns failed into partial (the record equals the broker) and never counts past the target', () => {
    const h = ladder();
    h.quote(at(2_900), usd(60.02), usd(60.03)); // the market moved: the timed-out child is re-pegged (a same-price re-peg would keep it)
    h.fireTimer();
    h.feed({ type: 'cancel-rejected', time: at(3_050), clientOrderId: 'x1:1', reason: 'pending' });
    h.fireTimer(); // cancel never confirmed: done, failed
    expect(h.state.outcome?.status).toBe('failed');
    h.fill('x1:1', 25 * SHARE, usd(60.01), at(20_000));
    expect(h.state).toMatchObject({ filledQty: 25 * SHARE, outcome: { status: 'partial' } });
    h.fill('x1:1', 200 * SHARE, usd(60.01), at(20_100));
    expect(h.state).toMatchObject({ filledQty: 100 * SHARE, outcome: { status: 'filled', reason: null } });
  });
});

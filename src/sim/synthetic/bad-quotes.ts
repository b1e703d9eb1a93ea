import { etClockToEpoch } from '../../engine/et-time.js';
import { addTicks } from '../../engine/tick.js';
import type { SyntheticRng } from '../rng.js';
import { lastIndexAtOrBefore, QuoteColumnsBuilder } from '../tape/tape.js';
import type { QuoteColumns } from '../tape/tape.js';
import type { BadQuoteKind, BadQuotesShape } from './open-shape.js';

/** One stretch of broken feed. The valid quote is shown again at `end` (epoch ms, integer). */
export type BadQuoteEvent =
  | { readonly kind: 'burst'; readonly start: number; readonly end: number; readonly snapshots: readonly BurstSnapshot[] }
  | { readonly kind: 'stale'; readonly start: number; readonly end: number };

export interface BurstSnapshot {
  readonly time: number;
  readonly kind: BadQuoteKind;
  /** Two uniforms fixed at planning time: which side overruns, and by how many ticks. */
  readonly u1: number;
  readonly u2: number;
}

// Consolidated feeds flicker through bad states in tens to hundreds of ms; distinct ms apart
// also keeps every snapshot of a burst alive through Lean's one-snapshot-per-ms reader.
const MIN_SPACING_MS = 20;
const MAX_SPACING_MS = 250;
const MAX_CROSS_TICKS = 3;

function poissonStarts(perHour: number, from: number, to: number, rng: SyntheticRng): number[] {
  const out: number[] = [];
  if (perHour <= 0) return out;
  for (let t = from; ;) {
    t += (3_600_000 * rng.exponential()) / perHour;
    if (t >= to) return out;
    out.push(Math.floor(t));
  }
}

/**
 * Draws the bursts and stale stretches of one day inside the shape's window (clipped to the tape's
 * [fromMs, toMs)). Events that would spill past the window or overlap an earlier event are
 * dropped, so "only inside the window" holds exactly and events never nest.
 */
export function planBadQuotes(bq: BadQuotesShape, date: string, fromMs: number, toMs: number, rng: SyntheticRng): BadQuoteEvent[] {
  const winFrom = Math.max(fromMs, etClockToEpoch(date, bq.fromEt));
  const winTo = Math.min(toMs, etClockToEpoch(date, bq.toEt));
  const spacing = () => MIN_SPACING_MS + Math.floor(rng.uniform() * (MAX_SPACING_MS - MIN_SPACING_MS));
  const drawn: BadQuoteEvent[] = [];
  for (const start of poissonStarts(bq.burstsPerHour, winFrom, winTo, rng)) {
    const snapshots: BurstSnapshot[] = [];
    let t = start;
    for (let i = 0; i < bq.burstQuotes; i++) {
      if (i > 0) t += spacing();
      const kind = bq.kinds[Math.floor(rng.uniform() * bq.kinds.length)]!;
      snapshots.push({ time: t, kind, u1: rng.uniform(), u2: rng.uniform() });
    }
    drawn.push({ kind: 'burst', start, end: t + spacing(), snapshots });
  }
  const gapMs = Math.round(1000 * bq.staleGapSeconds);
  for (const start of poissonStarts(bq.staleGapsPerHour, winFrom, winTo, rng)) drawn.push({ kind: 'stale', start, end: start + gapMs });

  // Stable sort: on equal starts the burst (drawn first) wins.
  drawn.sort((a, b) => a.start - b.start);
  const kept: BadQuoteEvent[] = [];
  let busyUntil = Number.NEGATIVE_INFINITY;
  for (const ev of drawn) {
    if (ev.end >= winTo || ev.start <= busyUntil) continue;
    kept.push(ev);
    busyUntil = ev.end;
  }
  return kept;
}

type Snapshot = readonly [bid: number, bidSize: number, ask: number, askSize: number];

/** An invalid snapshot derived from the underlying valid quote (b, bs, a, as). */
function badSnapshot(s: BurstSnapshot, b: number, bs: number, a: number, as: number): Snapshot {
  switch (s.kind) {
    case 'zero-bid':
      return [0, 0, a, as];
    case 'zero-ask':
      return [b, bs, 0, 0];
    case 'crossed': {
      const n = 1 + Math.floor(s.u2 * MAX_CROSS_TICKS);
      // Either side can overrun the other (a bid lifted through a stale ask, or the reverse).
      if (s.u1 < 0.5 || addTicks(b, -n) <= 0) return [addTicks(a, n), bs, a, as];
      return [b, bs, addTicks(b, -n), as];
    }
    case 'locked':
      return s.u1 < 0.5 ? [a, bs, a, as] : [b, bs, b, as];
  }
}

/**
 * The quote stream with the events applied. Inside a burst the feed shows only the burst's
 * invalid snapshots; inside a stale stretch it shows nothing. At each event's `end` the current
 * valid quote (the underlying stream's last quote at or before it) is shown again, and the
 * underlying quotes that fell inside the event are dropped: the market moved on, the feed did not.
 */
export function applyBadQuotes(q: QuoteColumns, events: readonly BadQuoteEvent[]): QuoteColumns {
  const cap = q.length + 16;
  const out = new QuoteColumnsBuilder(cap);
  const push = (t: number, [b, bs, a, as]: Snapshot) => {
    out.push(t, b, a, bs, as);
  };
  const underlying = (k: number): Snapshot => [q.bid[k]!, q.bidSize[k]!, q.ask[k]!, q.askSize[k]!];

  let i = 0;
  for (const ev of events) {
    while (i < q.length && q.time[i]! < ev.start) push(q.time[i]!, underlying(i++));
    if (ev.kind === 'burst') {
      for (const s of ev.snapshots) {
        const k = lastIndexAtOrBefore(q.time, q.length, s.time);
        if (k >= 0) push(s.time, badSnapshot(s, ...underlying(k)));
      }
    }
    const k = lastIndexAtOrBefore(q.time, q.length, ev.end);
    if (k >= 0) push(ev.end, underlying(k));
    while (i < q.length && q.time[i]! <= ev.end) i++;
  }
  while (i < q.length) push(q.time[i]!, underlying(i++));
  return out.finish();

}

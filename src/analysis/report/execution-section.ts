import { etClockOf } from '../../engine/et-time.js';
import type { ExecutionReport } from '../../engine/execution-report.js';
import { priceToDollars, qtyToShares } from '../../engine/units.js';
import { lastIndexAtOrBefore, type Tape } from '../../sim/tape/tape.js';
import type { ExecutionSection } from './report-sections.js';

/** Market shown before the decision and after the last event, so the reader sees what came and went. */
export const CONTEXT_MS = 5_000;

const dollars = (p: number): number => priceToDollars(p);
const usd = (p: number | null): string => (p === null ? '-' : `$${priceToDollars(p).toFixed(4)}`);
const num = (x: number | null, digits = 2): string => (x === null ? '-' : x.toFixed(digits));

/** The span the chart covers: the decision to the last thing the execution did, with context either side. */
export function executionWindow(r: ExecutionReport): { readonly from: number; readonly to: number } {
  let end = r.decisionTime + r.durationMs;
  for (const c of r.childOrders) {
    end = Math.max(end, c.endedAt ?? c.submittedAt);
    for (const f of c.fills) end = Math.max(end, f.time);
  }
  return { from: r.decisionTime - CONTEXT_MS, to: end + CONTEXT_MS };
}

function quotesIn(tape: Tape, from: number, to: number): ExecutionSection['quotes'] {
  const q = tape.quotes;
  const t: number[] = [];
  const bid: (number | null)[] = [];
  const ask: (number | null)[] = [];
  // The quote standing at `from` opens the band, so it does not start blank.
  for (let i = Math.max(0, lastIndexAtOrBefore(q.time, q.length, from)); i < q.length && q.time[i]! <= to; i++) {
    t.push(q.time[i]!);
    // A side of 0 is no quote on that side: a gap in the band, not a price of $0.
    bid.push(q.bid[i]! > 0 ? dollars(q.bid[i]!) : null);
    ask.push(q.ask[i]! > 0 ? dollars(q.ask[i]!) : null);
  }
  return { t, bid, ask };
}

function printsIn(tape: Tape, from: number, to: number): ExecutionSection['prints'] {
  const p = tape.trades;
  const out = { t: [] as number[], price: [] as number[], size: [] as number[] };
  if (p === null) return out;
  for (let i = lastIndexAtOrBefore(p.time, p.length, from) + 1; i < p.length && p.time[i]! <= to; i++) {
    out.t.push(p.time[i]!);
    out.price.push(dollars(p.price[i]!));
    out.size.push(p.size[i]!);
  }
  return out;
}

/** The facts beside the chart: the order, its outcome and its costs. */
function factsOf(r: ExecutionReport): [string, string][] {
  const t = r.tca;
  const a = r.arrival;
  return [
    ['order', `${r.side} ${qtyToShares(r.qty)} ${r.symbol} on ${r.date}`],
    ['strategy', `${r.strategy}${r.liquidity === null ? '' : ` (liquidity ${r.liquidity})`}`],
    ['decided', `${etClockOf(r.decisionTime)} ET`],
    ['arrival', a === null ? 'no valid quote' : `${etClockOf(a.time)} ET: bid ${usd(a.bid)} x ${a.bidSize} / ask ${usd(a.ask)} x ${a.askSize}`],
    ['arrival mid', t.arrivalMid === null ? '-' : usd(t.arrivalMid)],
    ['outcome', `${r.outcome}${r.reason === null ? '' : ` (${r.reason})`}: ${qtyToShares(r.filledQty)} of ${qtyToShares(r.qty)} shares in ${r.durationMs} ms`],
    ['average price', t.avgPrice === null ? '-' : usd(t.avgPrice)],
    ['cost vs arrival mid', `${num(t.costBps)} bps (${num(t.costCentsPerShare)} ¢/share) on the filled shares`],
    ['cost, whole order', r.chargedCostBps === null ? '-' : `${num(r.chargedCostBps)} bps (unfilled shares charged)`],
    ['cost vs NBBO mid at each fill', `${num(t.effectiveCostBps)} bps`],
    ['VWAP over the execution', t.vwap === null ? '-' : `${usd(t.vwap)} (${num(t.vwapCostBps)} bps)`],
    ['re-pegs / fallback / alert', `${r.repegs} / ${r.usedFallback ? 'yes' : 'no'} / ${t.alert ? 'yes' : 'no'}`],
  ];
}

/**
 * One execution as report data: the NBBO and prints over its window (from the tape it met, when
 * it could be loaded; `tapeNote` says why not otherwise), each child's limit from submission to end,
 * its fills, the arrival mid and the decision log. Times in seconds from the decision.
 */
export function executionSection(r: ExecutionReport, tape: Tape | null, title: string, tapeNote: string | null = null): ExecutionSection {
  const origin = r.decisionTime;
  const sec = (t: number): number => (t - origin) / 1000;
  const { from, to } = executionWindow(r);
  const quotes = tape === null ? { t: [], bid: [], ask: [] } : quotesIn(tape, from, to);
  const prints = tape === null ? { t: [], price: [], size: [] } : printsIn(tape, from, to);
  const end = r.decisionTime + r.durationMs;
  return {
    kind: 'execution',
    title,
    subtitle: `${r.executionId}: ${r.strategy} ${r.side} ${qtyToShares(r.qty)} ${r.symbol} on ${r.date}, ${r.outcome}`,
    originMs: origin,
    originLabel: `${etClockOf(origin)} ET`,
    quotes: { t: quotes.t.map(sec), bid: quotes.bid, ask: quotes.ask },
    prints: { t: prints.t.map(sec), price: prints.price, size: prints.size },
    children: r.childOrders.map((c) => ({
      id: c.clientOrderId,
      type: c.type,
      limit: c.limitPrice === null ? null : dollars(c.limitPrice),
      from: sec(c.submittedAt),
      // A child that never ended is drawn to the execution's end, where the record stops.
      to: sec(c.endedAt ?? Math.max(end, c.submittedAt)),
      status: c.status,
    })),
    fills: r.childOrders.flatMap((c) => c.fills.map((f) => ({ t: sec(f.time), price: dollars(f.price), shares: qtyToShares(f.qty), child: c.clientOrderId }))),
    arrivalMid: r.tca.arrivalMid === null ? null : dollars(r.tca.arrivalMid),
    facts: factsOf(r),
    events: r.events.map((e) => ({ t: sec(e.time), kind: e.kind, detail: e.detail })),
    note: tape === null ? (tapeNote ?? 'the tape of this execution could not be loaded: the chart shows the orders and fills only') : tapeNote,
  };
}

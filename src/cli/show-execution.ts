import Table from 'cli-table3';
import { etClockOf } from '../engine/et-time.js';
import type { ExecutionReport } from '../engine/execution-report.js';
import { priceToDollars, qtyToShares } from '../engine/units.js';

const usd = (p: number | null): string => (p === null ? '-' : priceToDollars(p).toFixed(4));
const num = (x: number | null, digits = 2): string => (x === null ? '-' : x.toFixed(digits));
const clock = (t: number | null): string => (t === null ? '-' : etClockOf(t));

/** One execution for a person: its order, arrival, outcome and costs, children, fills and decision log. */
export function formatExecution(r: ExecutionReport, header: string): string {
  const lines: string[] = [];
  const t = r.tca;
  lines.push(`${header}: ${r.strategy}${r.liquidity === null ? '' : ` (liquidity ${r.liquidity})`}, ${r.side} ${qtyToShares(r.qty)} ${r.symbol} on ${r.date}`);
  lines.push(`  execution id ${r.executionId}, decided ${clock(r.decisionTime)} ET`);
  const a = r.arrival;
  lines.push(a === null ? '  arrival: no valid quote' : `  arrival ${clock(a.time)} ET: bid ${usd(a.bid)} x ${a.bidSize} / ask ${usd(a.ask)} x ${a.askSize}, mid ${usd(t.arrivalMid)}`);
  lines.push(`  outcome ${r.outcome}${r.reason === null ? '' : ` (${r.reason})`}: ${qtyToShares(r.filledQty)} of ${qtyToShares(r.qty)} shares in ${r.durationMs} ms, avg ${usd(t.avgPrice)}`);
  lines.push(
    `  cost ${num(t.costBps)} bps (${num(t.costCentsPerShare)} ¢/share) on the filled shares` +
      `${r.chargedCostBps === null ? '' : `, ${num(r.chargedCostBps)} bps on the whole order`}; effective ${num(t.effectiveCostBps)} bps;` +
      ` VWAP ${usd(t.vwap)} (${num(t.vwapCostBps)} bps); re-pegs ${r.repegs}; fallback ${r.usedFallback ? 'yes' : 'no'}; alert ${t.alert ? 'yes' : 'no'}`,
  );
  const children = new Table({ head: ['child', 'type', 'limit', 'qty', 'submitted ET', 'ended ET', 'status', 'filled', 'reject'], style: { head: [], border: [] } });
  for (const c of r.childOrders) {
    const filled = c.fills.reduce((s, f) => s + f.qty, 0);
    children.push([c.clientOrderId, c.type, usd(c.limitPrice), String(qtyToShares(c.qty)), clock(c.submittedAt), clock(c.endedAt), c.status, String(qtyToShares(filled)), c.rejectReason ?? '']);
  }
  lines.push(r.childOrders.length === 0 ? 'no child orders' : children.toString());
  const fills = r.childOrders.flatMap((c) => c.fills.map((f) => ({ child: c.clientOrderId, ...f })));
  if (fills.length > 0) {
    const table = new Table({ head: ['fill of', 'time ET', 'price', 'qty', 'NBBO bid', 'NBBO ask'], style: { head: [], border: [] } });
    for (const f of fills) table.push([f.child, clock(f.time), usd(f.price), String(qtyToShares(f.qty)), usd(f.bid), usd(f.ask)]);
    lines.push(table.toString());
  }
  lines.push('decision log:');
  for (const e of r.events) lines.push(`  ${clock(e.time)}  ${e.kind.padEnd(14)} ${e.detail}`);
  return lines.join('\n');
}

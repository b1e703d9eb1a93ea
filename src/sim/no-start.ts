import type { ExecutionReport } from '../engine/execution-report.js';

/** How many distinct reasons the one line lists before it says "and N more". */
const MAX_REASONS = 4;

/**
 * Why no execution of a run could start, as one line, or null when at least one could. An
 * execution has started once it sent an order; one that never did ended with the engine's reason
 * (the market closed that day, a decision at or after the close, no valid quote in time...), and
 * the line lists those reasons, most frequent first, with how many executions each stopped. A
 * table of such a run would only show dashes.
 */
export function whyNothingStarted(reports: readonly ExecutionReport[]): string | null {
  if (reports.some((r) => r.childOrders.length > 0)) return null;
  if (reports.length === 0) return 'no execution could start: the plan has no executions';
  // One reason per day ("... on 2024-03-04") reads as one reason over a span of days.
  const groups = new Map<string, { n: number; dates: Set<string> }>();
  for (const r of reports) {
    const reason = r.reason ?? r.outcome;
    const key = reason.replace(DATE, '{date}');
    const g = groups.get(key) ?? { n: 0, dates: new Set<string>() };
    g.n += 1;
    for (const d of reason.match(DATE) ?? []) g.dates.add(d);
    groups.set(key, g);
  }
  const ranked = [...groups].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  const listed = ranked.slice(0, MAX_REASONS).map(([key, g]) => `${g.n} x ${key.replace(/\{date\}/g, daySpan(g.dates))}`);
  const more = ranked.length > MAX_REASONS ? `; and ${ranked.length - MAX_REASONS} more reasons` : '';
  return `no execution could start: none of the ${reports.length} executions sent an order (${listed.join('; ')}${more})`;
}

const DATE = /\d{4}-\d{2}-\d{2}/g;

/** "2024-03-04", or "20 days 2024-03-04..2024-03-29". */
function daySpan(dates: ReadonlySet<string>): string {
  const sorted = [...dates].sort();
  if (sorted.length <= 1) return sorted[0] ?? '?';
  return `${sorted.length} days ${sorted[0]}..${sorted[sorted.length - 1]}`;
}

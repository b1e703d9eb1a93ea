import Table from 'cli-table3';
import type { StrategySummary } from '../analysis/summary/strategy-summary.js';
import { summaryRows } from '../analysis/summary/summary-rows.js';

/** The strategy comparison as a terminal table (the cells are summaryRows'). */
export function formatSummaryTable(summaries: readonly StrategySummary[], baseline: string): string {
  const { head, rows } = summaryRows(summaries, baseline);
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const row of rows) table.push([...row]);
  return table.toString();
}

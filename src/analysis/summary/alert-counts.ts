import type { Alert, AlertKind } from '../../engine/alerts/alert.js';
import type { ExecutionReport } from '../../engine/execution-report.js';

/** How often one rule fired for one strategy under one liquidity model. */
export interface AlertCount {
  readonly strategy: string;
  readonly liquidity: string | null;
  readonly kind: AlertKind;
  /** Executions that raised it (each raises a kind at most once). */
  readonly fired: number;
  /** Executions of that strategy and model: the denominator of the rate. */
  readonly executions: number;
}

/**
 * What a backtest says about its alerts: per strategy and liquidity model, how many of its
 * executions each rule would have alerted on. Ordered by strategy and model as first seen in the
 * reports, then by how often the rule fired (most first), then by kind.
 */
export function countAlerts(reports: readonly ExecutionReport[], alerts: readonly Alert[]): AlertCount[] {
  const groupOf = new Map<string, string>();
  const sizes = new Map<string, { strategy: string; liquidity: string | null; executions: number }>();
  for (const r of reports) {
    const key = `${r.strategy}\u0000${r.liquidity ?? ''}`;
    groupOf.set(r.executionId, key);
    const g = sizes.get(key) ?? { strategy: r.strategy, liquidity: r.liquidity, executions: 0 };
    g.executions += 1;
    sizes.set(key, g);
  }
  const fired = new Map<string, Map<AlertKind, number>>();
  for (const a of alerts) {
    const key = a.executionId === undefined ? undefined : groupOf.get(a.executionId);
    if (key === undefined) continue;
    const byKind = fired.get(key) ?? new Map<AlertKind, number>();
    byKind.set(a.kind, (byKind.get(a.kind) ?? 0) + 1);
    fired.set(key, byKind);
  }
  return [...sizes].flatMap(([key, g]) =>
    [...(fired.get(key) ?? new Map<AlertKind, number>())]
      .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1))
      .map(([kind, n]) => ({ strategy: g.strategy, liquidity: g.liquidity, kind, fired: n, executions: g.executions })),
  );
}

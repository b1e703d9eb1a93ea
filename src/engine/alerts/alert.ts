import type { EpochMs } from '../units.js';

/**
 * Alerts are data: what happened, how bad it is, which execution (or rebalance) it concerns, one
 * line for a person, and when. Raising them is pure (raise-execution-alerts.ts,
 * rebalance-drift.ts); delivering them is I/O elsewhere (src/live/alerts/), so the simulator and
 * the live path raise exactly the same alerts from the same records.
 */

/** Every rule's alert kind, in the order the README lists them. */
export const ALERT_KINDS = [
  'cost-above-bound',
  'fallback-used',
  'slippage-guard-hit',
  'partial-fill',
  'execution-failed',
  'broker-reject',
  'may-still-be-working',
  'wait-ran-out',
  'unexpected-fill',
  'rebalance-drift',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * The kinds the execution state machine itself names when it records an `alert` action: things
 * it sees while deciding (the others are read from the finished report).
 */
export type EngineAlertCode = Extract<AlertKind, 'slippage-guard-hit' | 'wait-ran-out' | 'broker-reject' | 'unexpected-fill'>;

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Severity order, for "at least this severe" filters. */
export function severityRank(s: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(s);
}

/** What an alert concerns: one execution, or one rebalance. */
export type AlertSubject =
  | { readonly executionId: string; readonly rebalanceId?: never }
  | { readonly rebalanceId: string; readonly executionId?: never };

export interface AlertBase {
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  /** The symbol traded (null for a rebalance, which spans several). */
  readonly symbol: string | null;
  /** One line for a person: what happened, with the numbers that matter. */
  readonly message: string;
  /** When it happened: the market's time (virtual time in the simulator), epoch ms. */
  readonly time: EpochMs;
}

export type Alert = AlertBase & AlertSubject;

/** The execution or rebalance id an alert concerns. */
export function alertSubjectId(a: Alert): string {
  return a.executionId ?? a.rebalanceId!;
}

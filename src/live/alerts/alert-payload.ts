import type { Alert } from '../../engine/alerts/alert.js';

/**
 * Broker keys must never leave the process in an alert: every APCA_* value in the environment
 * (the SDK's APCA_API_KEY_ID and APCA_API_SECRET_KEY, and any other) is replaced wherever it
 * appears in a text, however it got there (a broker error message quoting a header, say).
 * Values shorter than 4 characters are not treated as secrets: they would blank out ordinary words.
 */
export const REDACTED = '[redacted]';

export function secretValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => name.startsWith('APCA_') && value !== undefined && value.length >= 4)
    .map(([, value]) => value!)
    .sort((a, b) => b.length - a.length); // a longer secret first, in case one contains another
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => t.split(s).join(REDACTED), text);
}

/** The JSON an alert is delivered as (webhook body, command stdin): the alert, redacted, and its time in ISO form too. */
export function alertPayload(a: Alert, secrets: readonly string[]) {
  const r = (s: string): string => redact(s, secrets);
  return {
    source: 'better-orders',
    kind: a.kind,
    severity: a.severity,
    executionId: a.executionId === undefined ? null : r(a.executionId),
    rebalanceId: a.rebalanceId === undefined ? null : r(a.rebalanceId),
    symbol: a.symbol,
    message: r(a.message),
    time: a.time,
    timeIso: new Date(a.time).toISOString(),
  };
}

export type AlertPayload = ReturnType<typeof alertPayload>;

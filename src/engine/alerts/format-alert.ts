import { formatEt } from '../et-time.js';
import { ALERT_KINDS, alertSubjectId, type Alert } from './alert.js';

const KIND_WIDTH = Math.max(...ALERT_KINDS.map((k) => k.length));

/**
 * One line for a person, the same on stderr as in `better-orders alerts`:
 * "2024-06-03 09:30:04.120 ET  warning   cost-above-bound  x1  TQQQ buy 100: cost 31.20 bps ...".
 * The time is the market's (virtual time in a simulation).
 */
export function formatAlertLine(a: Alert): string {
  return `${formatEt(a.time)}  ${a.severity.padEnd(8)}  ${a.kind.padEnd(KIND_WIDTH)}  ${alertSubjectId(a)}  ${a.message}`;
}

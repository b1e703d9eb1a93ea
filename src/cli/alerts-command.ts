import { formatAlertLine } from '../engine/alerts/format-alert.js';
import { etClockToEpoch, isValidDate } from '../engine/et-time.js';
import { readAlerts, type StoredAlert } from '../store/alerts.js';
import type { Alert } from '../engine/alerts/alert.js';
import { UsageError } from './cli-error.js';
import { openExistingDatabase } from './existing-db.js';
import type { alertsOptions } from './options/alerts.js';

type AlertsArgs = Awaited<ReturnType<typeof alertsOptions>['argv']>;

const AGE_UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since` as epoch ms; an age counts back from `now`. */
export function parseSince(text: string, now: number): number {
  const age = /^(\d+(?:\.\d+)?)([mhd])$/.exec(text);
  if (age !== null) return now - Number(age[1]) * AGE_UNITS[age[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!isValidDate(text)) throw new UsageError(`--since ${text}: not a calendar date`);
    return etClockToEpoch(text, '00:00:00');
  }
  // An instant must say its zone: a bare local time would mean different things on different machines.
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(text) && Number.isFinite(Date.parse(text))) return Date.parse(text);
  throw new UsageError(`--since ${text}: expected a date YYYY-MM-DD (New York), an ISO instant with its zone, or an age such as 90m, 12h, 7d`);
}

function asAlert(a: StoredAlert): Alert {
  const base = { kind: a.kind, severity: a.severity, symbol: a.symbol, message: a.message, time: a.time };
  return a.executionId !== null ? { ...base, executionId: a.executionId } : { ...base, rebalanceId: a.rebalanceId! };
}

export function runAlertsCommand(args: AlertsArgs): void {
  if (args.run !== undefined && !(Number.isInteger(args.run) && args.run > 0)) throw new UsageError(`--run ${args.run}: expected a run id (a positive integer)`);
  const since = args.since === undefined ? undefined : parseSince(args.since, Date.now());
  const db = openExistingDatabase(args.db, 'alerts');
  let alerts: StoredAlert[];
  try {
    alerts = readAlerts(db, { ...(since === undefined ? {} : { since }), ...(args.run === undefined ? {} : { runId: args.run }) });
  } finally {
    db.close();
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(alerts, null, 2)}\n`);
    return;
  }
  if (alerts.length === 0) {
    process.stdout.write('no alerts\n');
    return;
  }
  for (const a of alerts) process.stdout.write(`${formatAlertLine(asAlert(a))}  (run ${a.runId ?? 'still running'})\n`);
}

import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertKind, type AlertSeverity } from './alert.js';

/**
 * The `alerts` section of the configuration: which rules raise alerts and how severe each is,
 * and where alerts are delivered. Every field is wired: the rules in
 * test/engine/config-wiring.test.ts, the sinks in test/live/alerts/sink-wiring.test.ts.
 */

const severity = (def: AlertSeverity) => z.enum(ALERT_SEVERITIES).default(def);

const rule = (def: AlertSeverity) =>
  z.strictObject({ enabled: z.boolean().default(true), severity: severity(def) }).default({ enabled: true, severity: def });

const rulesShape = z.strictObject({
  /** Cost above the bound: the pre-market budget of the spread class, or `ladder.alertCostBps`. */
  costAboveBound: rule('warning'),
  /** The fallback (market order or limit at the guard) worked the remainder. */
  fallbackUsed: rule('info'),
  /** The slippage guard capped a limit. */
  slippageGuardHit: rule('warning'),
  /** The execution ended with part of the order unfilled. */
  partialFill: rule('warning'),
  /** The execution ended with nothing filled. */
  executionFailed: rule('critical'),
  /** The broker rejected an order. */
  brokerReject: rule('warning'),
  /** An order's end could not be confirmed: it may still be working at the broker. */
  mayStillBeWorking: rule('critical'),
  /** A wait ran out: the open's wait for a tight spread, or the wait for a valid quote. */
  waitRanOut: rule('info'),
  /** A fill the execution did not expect (on an order already ended, or beyond what it worked). */
  unexpectedFill: rule('critical'),
  /** A rebalance left a symbol's weight further than `thresholdPct` percentage points from its target. */
  rebalanceDrift: z
    .strictObject({ enabled: z.boolean().default(true), severity: severity('warning'), thresholdPct: z.number().min(0).max(100).default(1) })
    .default({ enabled: true, severity: 'warning', thresholdPct: 1 }),
});

export type AlertRules = z.output<typeof rulesShape>;
export type AlertRuleName = keyof AlertRules;

/** Which rule raises each kind of alert. */
export const RULE_OF_KIND: Readonly<Record<AlertKind, AlertRuleName>> = {
  'cost-above-bound': 'costAboveBound',
  'fallback-used': 'fallbackUsed',
  'slippage-guard-hit': 'slippageGuardHit',
  'partial-fill': 'partialFill',
  'execution-failed': 'executionFailed',
  'broker-reject': 'brokerReject',
  'may-still-be-working': 'mayStillBeWorking',
  'wait-ran-out': 'waitRanOut',
  'unexpected-fill': 'unexpectedFill',
  'rebalance-drift': 'rebalanceDrift',
};

const httpUrl = z
  .url({ error: 'expected an http:// or https:// URL' })
  .refine((u) => /^https?:\/\//i.test(u), { message: 'expected an http:// or https:// URL' })
  .nullable()
  .default(null);

const sinksShape = z.strictObject({
  /** One line per alert on stderr, as it happens. */
  stderr: z
    .strictObject({ enabled: z.boolean().default(true), minSeverity: severity('info') })
    .default({ enabled: true, minSeverity: 'info' }),
  /** A JSON POST per alert; null url: none. A failed attempt (no answer, 5xx, 429) is retried. */
  webhook: z
    .strictObject({
      url: httpUrl,
      minSeverity: severity('info'),
      /** Per attempt: the request is aborted after this long. */
      timeoutMs: z.number().int().min(1).max(60_000).default(2_000),
      /** Attempts after the first; each waits retryDelayMs, doubled every time. */
      retries: z.number().int().min(0).max(10).default(2),
      retryDelayMs: z.number().int().min(0).max(60_000).default(250),
    })
    .default({ url: null, minSeverity: 'info', timeoutMs: 2_000, retries: 2, retryDelayMs: 250 }),
  /** A program run once per alert, the alert as JSON on its stdin; empty argv: none. */
  command: z
    .strictObject({
      argv: z.array(z.string().min(1)).max(64).default([]),
      minSeverity: severity('info'),
      /** The program is killed after this long. */
      timeoutMs: z.number().int().min(1).max(600_000).default(5_000),
    })
    .default({ argv: [], minSeverity: 'info', timeoutMs: 5_000 }),
});

export const alertConfigSchema = z
  .strictObject({
    rules: rulesShape.default(rulesShape.parse({})),
    sinks: sinksShape.default(sinksShape.parse({})),
    /**
     * After the order is done, how long the process waits for deliveries still under way before
     * it abandons them (each is in SQLite already) and exits.
     */
    exitGraceMs: z.number().int().min(0).max(60_000).default(2_000),
  })
  .default({ rules: rulesShape.parse({}), sinks: sinksShape.parse({}), exitGraceMs: 2_000 });

export type AlertConfig = z.output<typeof alertConfigSchema>;
export type AlertSinks = AlertConfig['sinks'];

/**
 * "Every configuration field changes behaviour" (DESIGN.md, Invariants): for each leaf of the
 * configuration, changing only that field changes the ExecutionReport of a simulated execution
 * on a tape chosen to exercise it, or the alerts raised from it (as `backtest` raises them). A
 * guard fails when a new field has no row here.
 */
import { describe, expect, it } from 'vitest';
import { raiseExecutionAlerts } from '../../src/engine/alerts/raise-execution-alerts.js';
import { rebalanceDriftAlert } from '../../src/engine/alerts/rebalance-drift.js';
import { ConfigError, DEFAULT_CONFIG, parseConfig, type BetterOrdersConfig } from '../../src/engine/config.js';
import type { ExecutionReport } from '../../src/engine/execution-report.js';
import { DEFAULT_FILL_MODEL, fillModelSchema, type FillModelConfig } from '../../src/sim/fill-model-config.js';
import { strayFillReport } from './alerts/journaled-run.js';
import type { Tape } from '../../src/sim/tape/tape.js';
import { MIN, SEC, buildTape, steadyQuotes } from '../sim/tape-builder.js';
import { runOn, type RunOptions } from '../sim/sim-run.js';

const TEN = 30 * MIN; // 10:00:00 ET: standard window, no open gate

/** A calm $50 market, 4 cents wide, fresh every 500 ms. */
const calm = (from: number, to: number): Tape => buildTape(steadyQuotes(from, to, { bid: 50, spread: 0.04, size: 1000 }));
/** Runs away upward two cents every 500 ms, so resting buys never catch up and re-pegs happen. */
const runaway = (from: number, spread = 0.02): Tape => buildTape(steadyQuotes(from - SEC, from + 3 * MIN, { bid: 50, spread, driftPerQuote: 0.02 }));
/** The open: a pre-market quote at 09:29:58.5, `wide` from 09:30 for `wideMs`, then one cent. */
function open(preSpread: number, spread: number, wideMs: number): Tape {
  return buildTape([
    { t: -1500, bid: 50, ask: 50 + preSpread, bidSize: 1000, askSize: 1000 },
    ...steadyQuotes(0, wideMs, { bid: 50, spread, size: 1000 }),
    ...steadyQuotes(wideMs, 6 * MIN, { bid: 50, spread: 0.01, size: 1000 }),
  ]);
}

const RUNAWAY_TEN = runaway(TEN);
const CALM_TEN = calm(TEN - SEC, TEN + 2 * MIN); // 4 c = 8 bps: "normal"
/** Calm at 10:00 with a 2 c (tight) or 10 c (wide) spread: no prints, so a resting limit never fills. */
const CALM_TIGHT_TEN = buildTape(steadyQuotes(TEN - SEC, TEN + 2 * MIN, { bid: 50, spread: 0.02, size: 1000 }));
const CALM_WIDE_TEN = buildTape(steadyQuotes(TEN - SEC, TEN + 2 * MIN, { bid: 50, spread: 0.1, size: 1000 }));
/** An inside entry on the calm normal spread, so re-pegs step toward the ask. */
const INSIDE = (over: Record<string, unknown> = {}, maxRepegs = 3): Record<string, unknown> => ({ ladder: { maxRepegs, entry: { normal: 0 }, ...over } });
const OPEN_NORMAL = open(0.04, 0.04, 150 * SEC); // 4 c = 8 bps: "normal"
const OPEN_WIDE = open(0.1, 0.1, 150 * SEC); // 10 c = 20 bps: "wide"
const OPEN_TIGHT = open(0.01, 0.01, 0); // 1 c = 2 bps: "tight"
const OPEN_TIGHT_THEN_NORMAL = open(0.01, 0.04, 90 * SEC);
const STALE_AT_TEN = buildTape([{ t: TEN - 3 * SEC, bid: 50, ask: 50.02 }, ...steadyQuotes(TEN + 10 * SEC, TEN + MIN, { bid: 50, spread: 0.02 })]);
const CROSSED_FOR_A_MINUTE = buildTape([
  ...steadyQuotes(TEN - SEC, TEN + MIN, { bid: 50.02, spread: -0.01 }),
  ...steadyQuotes(TEN + MIN, TEN + 2 * MIN, { bid: 50, spread: 0.02 }),
]);

interface Row {
  /** Dotted path of the leaf in DEFAULT_CONFIG (and in the raw JSON). */
  readonly field: string;
  /** The new value; the row's `base` (default: {}) supplies the rest. */
  readonly value: unknown;
  readonly why: string;
  readonly tape: Tape;
  readonly run: Omit<RunOptions, 'config' | 'fillModel'>;
  readonly base?: Record<string, unknown>;
  /** The simulator's fill model for this row (default: the default one). */
  readonly fillModel?: FillModelConfig;
  /** Instead of a simulated execution: what the field changes, from the parsed configuration. */
  readonly probe?: (config: BetterOrdersConfig) => unknown;
}

const buy = (decisionMs: number, shares = 100): Row['run'] => ({ strategy: 'ladder', side: 'buy', shares, decisionMs });
const L = (p: string): string => `ladder.${p}`;
const R = (p: string): string => `alerts.rules.${p}`;

/** One limit for 5,000 against 1,000 shown, no fallback: 1,000 fill and the rest never does. */
const PARTIAL = { base: { ladder: { maxRepegs: 0, aggressionTicks: 0, fallback: { mode: 'stop' } } }, fillModel: fillModelSchema.parse({ remainder: 'rest' }), tape: buildTape(steadyQuotes(TEN - SEC, TEN + 3 * MIN, { bid: 50, spread: 0.02, size: 1000 })), run: buy(TEN, 5000) };
const REJECTED = { fillModel: fillModelSchema.parse({ rejectRate: 1 }), tape: CALM_TEN, run: buy(TEN) };
/** Cancels take 20 s to arrive: the machine gives up on its cancel after 10 s. */
const STUCK = { fillModel: fillModelSchema.parse({ latency: { cancelMs: 20_000 } }), tape: RUNAWAY_TEN, run: buy(TEN, 1000) };
const COSTLY = { base: { ladder: { alertCostBps: 1 } }, tape: CALM_TEN, run: buy(TEN) };
const UNUSED_TAPE = { tape: CALM_TEN, run: buy(TEN) };
const DRIFTED = (config: BetterOrdersConfig): unknown =>
  rebalanceDriftAlert({ rebalanceId: 'RB1', time: 0, targets: { TQQQ: 0.6, SOXL: 0.4 }, weightsAfter: { TQQQ: 0.585, SOXL: 0.405 } }, config.alerts.rules);

const ROWS: readonly Row[] = [
  { field: 'enabled', value: false, why: 'the ladder slot runs the progressive baseline', tape: CALM_TEN, run: buy(TEN) },
  { field: 'symbols', value: ['SOXL'], why: 'TQQQ is refused', tape: CALM_TEN, run: buy(TEN) },
  { field: 'overrides', value: { TQQQ: { aggressionTicks: 4 } }, why: 'the TQQQ override prices the child', tape: CALM_TEN, run: buy(TEN) },
  { field: L('timeouts.openMs'), value: 1000, why: 'children before 09:35 re-peg sooner', tape: runaway(3 * MIN), run: buy(3 * MIN, 1000) },
  { field: L('timeouts.normalMs'), value: 1500, why: 'children after 09:35 re-peg sooner', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: L('maxRepegs'), value: 0, why: 'no re-pegs before the fallback', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: L('aggressionTicks'), value: 3, why: 'the first limit is 3 ticks through the ask', tape: CALM_TEN, run: buy(TEN) },
  { field: L('escalationTicksPerRepeg'), value: 2, why: 're-pegs go further through the ask', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: L('timeouts.tight.openMs'), value: 700, why: 'a tight-spread child before 09:35 re-pegs after 0.7 s', tape: runaway(3 * MIN), run: buy(3 * MIN, 1000) },
  { field: L('timeouts.tight.normalMs'), value: 700, why: 'a tight-spread child after 09:35 re-pegs after 0.7 s', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: L('timeouts.normal.openMs'), value: 700, why: 'a normal-spread child before 09:35 re-pegs after 0.7 s', tape: runaway(3 * MIN, 0.04), run: buy(3 * MIN, 1000) },
  { field: L('timeouts.normal.normalMs'), value: 700, why: 'a normal-spread child after 09:35 re-pegs after 0.7 s', tape: runaway(TEN, 0.04), run: buy(TEN, 1000) },
  { field: L('timeouts.wide.openMs'), value: 700, why: 'a wide-spread child before 09:35 re-pegs after 0.7 s', tape: runaway(3 * MIN, 0.1), run: buy(3 * MIN, 1000) },
  { field: L('timeouts.wide.normalMs'), value: 700, why: 'a wide-spread child after 09:35 re-pegs after 0.7 s', tape: runaway(TEN, 0.1), run: buy(TEN, 1000) },
  { field: L('entry.tight'), value: 0, why: 'on a tight spread the first buy joins the bid', tape: CALM_TIGHT_TEN, run: buy(TEN) },
  { field: L('entry.normal'), value: 0.5, why: 'on a normal spread the first buy goes at the mid', tape: CALM_TEN, run: buy(TEN) },
  { field: L('entry.wide'), value: 0.25, why: 'on a wide spread the first buy goes a quarter in', tape: CALM_WIDE_TEN, run: buy(TEN) },
  { field: L('repegStep.mode'), value: 'ticks', why: 're-pegs step a tick at a time from the bid', tape: CALM_TEN, run: buy(TEN), base: INSIDE() },
  { field: L('repegStep.fraction'), value: 0.1, why: 're-pegs step 10% of the spread, not a third', tape: CALM_TEN, run: buy(TEN), base: INSIDE() },
  { field: L('repegStep.ticks'), value: 2, why: 're-pegs step two ticks at a time', tape: CALM_TEN, run: buy(TEN), base: INSIDE({ repegStep: { mode: 'ticks' } }) },
  {
    field: L('repegStep.fractions'), value: [0.75], why: 'the one re-peg goes 75% in, not 25%',
    tape: CALM_TEN, run: buy(TEN), base: INSIDE({ repegStep: { mode: 'list', fractions: [0.25] } }, 1),
  },
  { field: L('repegMode'), value: 'replace', why: 're-pegs are Alpaca replaces, not cancel then submit', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: L('spread.tightCents'), value: 4, why: 'a 4 c open spread counts as tight: go at 09:30', tape: OPEN_NORMAL, run: buy(0) },
  { field: L('spread.tightBps'), value: 10, why: 'an 8 bps open spread counts as tight: go at 09:30', tape: OPEN_NORMAL, run: buy(0) },
  { field: L('spread.wideCents'), value: 10, why: '10 c becomes normal: a 60 s wait, not 120 s', tape: OPEN_WIDE, run: buy(0) },
  { field: L('spread.wideBps'), value: 25, why: '20 bps becomes normal: a 60 s wait, not 120 s', tape: OPEN_WIDE, run: buy(0) },
  { field: L('windows.waitForSpreadsEnd'), value: '09:31:00', why: 'the wide-spread wait ends at 09:31', tape: OPEN_WIDE, run: buy(10 * SEC) },
  { field: L('windows.normalEnd'), value: '09:33:00', why: 'a child at 09:34 gets the normal timeout', tape: runaway(4 * MIN), run: buy(4 * MIN, 1000) },
  { field: L('openWaitMs'), value: 20_000, why: 'without an assessment the wait is 20 s', tape: OPEN_WIDE, run: buy(10 * SEC) },
  { field: L('maxSlippageBps'), value: 2, why: 'the guard caps the limit below the ask', tape: CALM_TEN, run: buy(TEN) },
  { field: L('fallback.mode'), value: 'stop', why: 'no market order after the re-pegs', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  {
    field: L('fallback.timeoutMs'), value: 10_000, why: 'the unfilled guard-limit fallback is cancelled sooner',
    tape: RUNAWAY_TEN, run: buy(TEN, 1000), base: { ladder: { fallback: { mode: 'limit-at-guard' } } },
  },
  { field: L('maxQuoteAgeMs'), value: 1000, why: 'a 3 s old quote is stale: wait for the next', tape: STALE_AT_TEN, run: buy(TEN) },
  { field: L('quoteWaitMs'), value: 90_000, why: 'outlasts a minute of crossed quotes', tape: CROSSED_FOR_A_MINUTE, run: buy(TEN) },
  { field: L('premarketAssessment.enabled'), value: false, why: 'openWaitMs (120 s) instead of the normal class (60 s)', tape: OPEN_NORMAL, run: buy(-SEC) },
  { field: L('premarketAssessment.tight.waitMs'), value: 30_000, why: 'tight pre-market, normal open: wait 30 s', tape: OPEN_TIGHT_THEN_NORMAL, run: buy(-SEC) },
  { field: L('premarketAssessment.tight.slippageBudgetBps'), value: 0, why: 'the budget bounds the cost alert: a 1 bps cost alerts at 0', tape: OPEN_TIGHT, run: buy(-SEC) },
  { field: L('premarketAssessment.normal.waitMs'), value: 30_000, why: 'normal pre-market: wait 30 s', tape: OPEN_NORMAL, run: buy(-SEC) },
  { field: L('premarketAssessment.normal.slippageBudgetBps'), value: 1, why: 'the budget bounds the cost alert: 4 bps now alerts', tape: OPEN_NORMAL, run: buy(-SEC) },
  { field: L('premarketAssessment.wide.waitMs'), value: 30_000, why: 'wide pre-market: wait 30 s', tape: OPEN_WIDE, run: buy(-SEC) },
  { field: L('premarketAssessment.wide.slippageBudgetBps'), value: 5, why: 'the budget bounds the cost alert: 10 bps now alerts', tape: OPEN_WIDE, run: buy(-SEC) },
  { field: L('alertCostBps'), value: 1, why: 'a 4 bps cost raises the alert', tape: CALM_TEN, run: buy(TEN) },
  { field: R('costAboveBound.enabled'), value: false, why: 'a 4 bps cost above a 1 bps bound raises no alert', ...COSTLY },
  { field: R('costAboveBound.severity'), value: 'critical', why: 'the cost alert is critical', ...COSTLY },
  { field: R('fallbackUsed.enabled'), value: false, why: 'the market fallback raises no alert', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: R('fallbackUsed.severity'), value: 'warning', why: 'the fallback alert is a warning', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: R('slippageGuardHit.enabled'), value: false, why: 'the guard capping the chase raises no alert', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: R('slippageGuardHit.severity'), value: 'info', why: 'the guard alert is for information', tape: RUNAWAY_TEN, run: buy(TEN, 1000) },
  { field: R('partialFill.enabled'), value: false, why: 'a partial fill raises no alert', ...PARTIAL },
  { field: R('partialFill.severity'), value: 'critical', why: 'the partial-fill alert is critical', ...PARTIAL },
  { field: R('executionFailed.enabled'), value: false, why: 'a minute of crossed quotes fails the order without an alert for it', tape: CROSSED_FOR_A_MINUTE, run: buy(TEN) },
  { field: R('executionFailed.severity'), value: 'warning', why: 'the failure alert is a warning', tape: CROSSED_FOR_A_MINUTE, run: buy(TEN) },
  { field: R('brokerReject.enabled'), value: false, why: 'a broker reject raises no alert of its own', ...REJECTED },
  { field: R('brokerReject.severity'), value: 'critical', why: 'the reject alert is critical', ...REJECTED },
  { field: R('mayStillBeWorking.enabled'), value: false, why: 'an unconfirmed cancel raises no alert', ...STUCK },
  { field: R('mayStillBeWorking.severity'), value: 'warning', why: 'the unconfirmed-cancel alert is a warning', ...STUCK },
  { field: R('waitRanOut.enabled'), value: false, why: 'the quote wait running out raises no alert', tape: CROSSED_FOR_A_MINUTE, run: buy(TEN) },
  { field: R('waitRanOut.severity'), value: 'warning', why: 'the wait alert is a warning', tape: CROSSED_FOR_A_MINUTE, run: buy(TEN) },
  { field: R('unexpectedFill.enabled'), value: false, why: 'a fill for an order never sent raises no alert', ...UNUSED_TAPE, probe: (c) => raiseExecutionAlerts(strayFillReport(c), c.alerts.rules) },
  { field: R('unexpectedFill.severity'), value: 'warning', why: 'the unexpected-fill alert is a warning', ...UNUSED_TAPE, probe: (c) => raiseExecutionAlerts(strayFillReport(c), c.alerts.rules) },
  { field: R('rebalanceDrift.enabled'), value: false, why: '1.5 pp of drift raises no alert', ...UNUSED_TAPE, probe: DRIFTED },
  { field: R('rebalanceDrift.severity'), value: 'critical', why: 'the drift alert is critical', ...UNUSED_TAPE, probe: DRIFTED },
  { field: R('rebalanceDrift.thresholdPct'), value: 2, why: '1.5 pp of drift is within a 2 pp threshold', ...UNUSED_TAPE, probe: DRIFTED },
];

function setPath(raw: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const out = structuredClone(raw);
  const keys = path.split('.');
  let node = out;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

/** The report without the free-text details, so only behaviour (not a logged number) can differ. */
function behaviour(r: ExecutionReport): unknown {
  return { ...r, events: r.events.map((e) => `${e.time} ${e.kind}`) };
}

function outcome(row: Row, raw: Record<string, unknown>): unknown {
  try {
    const config = parseConfig(raw);
    if (row.probe !== undefined) return row.probe(config);
    const report = runOn(row.tape, { ...row.run, config, fillModel: row.fillModel ?? DEFAULT_FILL_MODEL, seed: 7 });
    return { report: behaviour(report), alerts: raiseExecutionAlerts(report, config.alerts.rules) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Leaf paths of an object: primitives, arrays and empty records. */
function leaves(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || Object.keys(obj).length === 0) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => leaves(v, prefix === '' ? k : `${prefix}.${k}`));
}

/**
 * Fields that only the live driver reads (wired: test/cli/execute-live.test.ts and, for the
 * rebalance's total, test/cli/rebalance-live.test.ts), and the alert
 * sinks, which deliver and so change nothing in a record (wired: test/live/alerts/sink-wiring.test.ts).
 */
const LIVE_ONLY_FIELDS: readonly string[] = ['maxNotionalPerOrder', 'maxRebalanceNotional'];
const DELIVERY_FIELDS: readonly string[] = [
  'alerts.sinks.stderr.enabled',
  'alerts.sinks.stderr.minSeverity',
  'alerts.sinks.webhook.url',
  'alerts.sinks.webhook.minSeverity',
  'alerts.sinks.webhook.timeoutMs',
  'alerts.sinks.webhook.retries',
  'alerts.sinks.webhook.retryDelayMs',
  'alerts.sinks.command.argv',
  'alerts.sinks.command.minSeverity',
  'alerts.sinks.command.timeoutMs',
  'alerts.exitGraceMs',
];

describe('every configuration field changes behaviour', () => {
  it.each(ROWS.map((r) => [r.field, r.why, r] as const))('%s: %s', (field, _why, row) => {
    const base = row.base ?? {};
    const changed = setPath(base, field, row.value);
    const parsed = getPath(parseConfig(changed), field);
    if (isRecord(row.value)) expect(parsed).toMatchObject(row.value);
    else expect(parsed).toEqual(row.value);
    expect(getPath(parseConfig(base), field)).not.toEqual(row.value);
    const before = outcome(row, base);
    const after = outcome(row, changed);
    expect(before).not.toHaveProperty('error');
    expect(after).not.toEqual(before);
  });

  it('has a row for every leaf of DEFAULT_CONFIG, and no row for a field that does not exist', () => {
    // Live-only fields change nothing in the simulator; test/cli/execute-live.test.ts proves each is wired.
    const all = leaves(DEFAULT_CONFIG).filter((f) => !LIVE_ONLY_FIELDS.includes(f) && !DELIVERY_FIELDS.includes(f));
    expect(all.length).toBeGreaterThanOrEqual(28);
    const covered = new Set(ROWS.map((r) => r.field));
    expect(all.filter((f) => !covered.has(f))).toEqual([]);
    expect([...covered].filter((f) => !all.includes(f))).toEqual([]);
    expect(covered.size).toBe(ROWS.length);
  });

  it('symbols: the refusal names the field', () => {
    const row = ROWS.find((r) => r.field === 'symbols')!;
    expect(outcome(row, { symbols: ['SOXL'] })).toEqual({ error: 'symbols: TQQQ is not in the configured symbol list (SOXL)' });
    expect(outcome(row, { symbols: ['SOXL', 'TQQQ'] })).not.toHaveProperty('error');
  });
});

describe('config errors name the field', () => {
  const error = (raw: unknown): ConfigError => {
    try {
      parseConfig(raw);
    } catch (err) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error('expected a ConfigError');
  };

  it.each([
    [{ ladder: { timeouts: { openMs: 0 } } }, 'ladder.timeouts.openMs'],
    [{ ladder: { spread: { tightCents: 'x' } } }, 'ladder.spread.tightCents'],
    [{ ladder: { premarketAssessment: { wide: { waitMs: -1 } } } }, 'ladder.premarketAssessment.wide.waitMs'],
    [{ ladder: { windows: { normalEnd: '9:35' } } }, 'ladder.windows.normalEnd'],
    [{ overrides: { SOXL: { maxRepegs: -1 } } }, 'overrides.SOXL.maxRepegs'],
    [{ overrides: { SOXL: { fallback: { mode: 'limit' } } } }, 'overrides.SOXL.fallback.mode'],
    [{ enabled: 'yes' }, 'enabled'],
    [{ symbols: ['tqqq'] }, 'symbols.0'],
    [{ alerts: { rules: { fallbackUsed: { severity: 'loud' } } } }, 'alerts.rules.fallbackUsed.severity'],
    [{ alerts: { rules: { rebalanceDrift: { thresholdPct: -1 } } } }, 'alerts.rules.rebalanceDrift.thresholdPct'],
    [{ alerts: { sinks: { webhook: { url: 'ftp://example.com/hook' } } } }, 'alerts.sinks.webhook.url'],
    [{ alerts: { sinks: { webhook: { url: 'not a url' } } } }, 'alerts.sinks.webhook.url'],
    [{ alerts: { sinks: { webhook: { retries: 11 } } } }, 'alerts.sinks.webhook.retries'],
    [{ alerts: { sinks: { command: { argv: [''] } } } }, 'alerts.sinks.command.argv.0'],
    [{ alerts: { exitGraceMs: -5 } }, 'alerts.exitGraceMs'],
  ])('%j -> %s', (raw, field) => {
    const e = error(raw);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`${field}: `)).toBe(true);
  });

  it.each([
    [{ ladder: { maxRepeg: 3 } }, 'ladder.maxRepeg: unknown field'],
    [{ ladder: { timeouts: { open: 1 } } }, 'ladder.timeouts.open: unknown field'],
    [{ overrides: { SOXL: { agression: 2 } } }, 'overrides.SOXL.agression: unknown field'],
    [{ ladders: {} }, 'ladders: unknown field'],
    [{ alerts: { rules: { costAbove: {} } } }, 'alerts.rules.costAbove: unknown field'],
    [{ alerts: { sinks: { slack: {} } } }, 'alerts.sinks.slack: unknown field'],
  ])('%j -> "%s"', (raw, message) => {
    expect(error(raw).message).toBe(message);
  });

  it.each([
    [{ ladder: { windows: { normalEnd: '25:00:00' } } }, 'ladder.windows.normalEnd: expected a real ET time HH:MM:SS, got "25:00:00"'],
    [{ ladder: { windows: { waitForSpreadsEnd: '09:61:00' } } }, 'ladder.windows.waitForSpreadsEnd: expected a real ET time HH:MM:SS, got "09:61:00"'],
    [{ ladder: { windows: { waitForSpreadsEnd: '09:32:00.500' } } }, 'ladder.windows.waitForSpreadsEnd: expected a real ET time HH:MM:SS, got "09:32:00.500"'],
    [{ ladder: { windows: { waitForSpreadsEnd: '09:29:59' } } }, 'ladder.windows.waitForSpreadsEnd: 09:29:59 is outside the regular session 09:30:00-16:00:00 ET'],
    [{ ladder: { windows: { normalEnd: '16:00:01' } } }, 'ladder.windows.normalEnd: 16:00:01 is outside the regular session 09:30:00-16:00:00 ET'],
    [{ ladder: { windows: { waitForSpreadsEnd: '09:40:00', normalEnd: '09:35:00' } } }, 'ladder.windows.normalEnd: must be at or after windows.waitForSpreadsEnd'],
    [{ overrides: { SOXL: { windows: { normalEnd: '09:31:00' } } } }, 'overrides.SOXL.windows.normalEnd: must be at or after windows.waitForSpreadsEnd'],
    [{ overrides: { SOXL: { windows: { normalEnd: '24:00:00' } } } }, 'overrides.SOXL.windows.normalEnd: expected a real ET time HH:MM:SS, got "24:00:00"'],
  ])('window clocks: %j -> "%s"', (raw, message) => {
    expect(error(raw).message).toBe(message);
  });

  it('window clocks at the edges of the session, equal ends and HH:MM are accepted', () => {
    expect(parseConfig({ ladder: { windows: { waitForSpreadsEnd: '09:30:00', normalEnd: '16:00:00' } } }).ladder.windows.normalEnd).toBe('16:00:00');
    expect(parseConfig({ ladder: { windows: { waitForSpreadsEnd: '09:33', normalEnd: '09:33:00' } } }).ladder.windows.waitForSpreadsEnd).toBe('09:33');
  });

  it('alert sinks: an http(s) webhook URL and a command argv are accepted as written', () => {
    const c = parseConfig({ alerts: { sinks: { webhook: { url: 'https://hooks.example.com/T0/B1?x=1' }, command: { argv: ['notify-send', '--urgency=critical'] } } } });
    expect(c.alerts.sinks.webhook).toMatchObject({ url: 'https://hooks.example.com/T0/B1?x=1', timeoutMs: 2000, retries: 2 });
    expect(c.alerts.sinks.command.argv).toEqual(['notify-send', '--urgency=critical']);
    expect(error({ alerts: { sinks: { webhook: { url: 'ftp://example.com/hook' } } } }).message).toBe('alerts.sinks.webhook.url: expected an http:// or https:// URL');
  });

  it('a cross-field rule names the field it is about', () => {
    expect(error({ ladder: { spread: { tightCents: 9 } } }).field).toBe('ladder.spread.tightCents');
    expect(error({ ladder: { maxSlippageBps: null, fallback: { mode: 'limit-at-guard' } } }).field).toBe('ladder.fallback.mode');
  });
});


import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { etDateOf } from '../engine/et-time.js';
import type { Quote } from '../engine/quote.js';
import { rebalanceMachineSettings } from '../engine/rebalance/machine-settings.js';
import { planRebalance } from '../engine/rebalance/plan.js';
import type { RebalancePlan, RebalanceSettings, RebalanceTargets, SymbolMarket } from '../engine/rebalance/plan-types.js';
import { checkRebalanceRails } from '../engine/rebalance/rails.js';
import { strategySettings } from '../engine/strategies/strategy-settings.js';
import type { Qty } from '../engine/units.js';
import { brokerCalendar, brokerNow, brokerRead, BrokerUnavailable, createAlpaca, latestQuote, type AlpacaSessionOptions } from '../live/driver/alpaca-session.js';
import { alpacaStreams } from '../live/driver/alpaca-streams.js';
import { StreamUnavailableError } from '../live/driver/broker-port.js';
import { brokerWindows } from '../live/driver/broker-calendar-windows.js';
import { VenueClock } from '../live/driver/venue-clock.js';
import { AccountUnusable, readAccount, type AccountSnapshot } from '../live/rebalance/account.js';
import { planQuotes } from '../live/rebalance/plan-quotes.js';
import { runLiveRebalance, type LegStart } from '../live/rebalance/run-live-rebalance.js';
import { StreamFanout } from '../live/rebalance/stream-fanout.js';
import { readLiveExecution } from '../store/live-executions.js';
import { claimLiveRebalance, createLiveRebalance, releaseLiveRebalance, type LiveRebalanceRow } from '../store/live-rebalances.js';
import { openDatabase } from '../store/open-database.js';
import type { Database } from '../store/database.js';
import { CommandFailed, UsageError } from './cli-error.js';
import { EXIT } from './exit-codes.js';
import type { rebalanceOptions } from './options/rebalance.js';
import { checkPositionsTargeted } from './rebalance-files.js';
import { checkLiveRebalanceArgs, type LiveRebalanceRequest } from './rebalance-live-args.js';
import { finishLiveRebalance } from './rebalance-live-finish.js';
import { legRecordIn } from './rebalance-leg-record.js';
import type { ExecuteAlerts } from './execute-alerts.js';
import { printDryRun } from './rebalance-live-output.js';
import { pidAlive, runWithAlpacaKeys } from './alpaca-keys-run.js';

type RebalanceArgs = Awaited<ReturnType<typeof rebalanceOptions>['argv']>;

export async function runLiveRebalanceCommand(args: RebalanceArgs, commandLine: string): Promise<void> {
  await runWithAlpacaKeys(commandLine, (keyId, secret, line) => rebalance(checkLiveRebalanceArgs(args, process.env, keyId, secret), line, keyId, secret));
}


const symbolsOf = (t: RebalanceTargets, positions: Readonly<Record<string, Qty>>): string[] =>
  [...new Set([...Object.keys(t.kind === 'weights' ? t.weights : t.shares), ...Object.keys(positions)])].sort();

/** Setup reads fail before anything is sent: one line, the execute codes (keys refused: 2; broker unreachable: 4). */
async function beforeSending<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BrokerUnavailable) throw new CommandFailed(`${err.message}; nothing was sent`, err.refused ? EXIT.refused : EXIT.failed, { cause: err });
    if (err instanceof AccountUnusable) throw new CommandFailed(err.message, EXIT.refused, { cause: err });
    throw err;
  }
}

async function rebalance(a: LiveRebalanceRequest, commandLine: string, keyId: string, secret: string): Promise<number> {
  const kind = a.live ? 'live' : 'paper';
  const opts: AlpacaSessionOptions = { keyId, secret, paper: !a.live, feed: a.feed, ...(a.endpoint !== undefined ? { endpoint: a.endpoint } : {}) };
  const where = a.endpoint ?? (a.live ? 'https://api.alpaca.markets' : 'https://paper-api.alpaca.markets');
  const alpaca = createAlpaca(opts);
  const { clock, account } = await beforeSending(async () => {
    const c = new VenueClock(await brokerRead(where, () => brokerNow(alpaca)), a.clockSpeed);
    return { clock: c, account: await readAccount(alpaca, where) };
  });
  if (account.shorts.length > 0) throw new CommandFailed(`the account holds ${account.shorts.join(', ')} short; a rebalance only moves long positions; nothing was sent`, EXIT.refused);

  const db = a.dryRun ? null : openDatabase(a.db);
  const owner = { pid: process.pid, host: hostname() };
  let row: LiveRebalanceRow | null = null;
  try {
    let rebalanceId: string;
    let plan: RebalancePlan;
    let settings: RebalanceSettings;
    let cashBefore: number;
    let positionsBefore: Readonly<Record<string, Qty>>;
    let targets: RebalanceTargets;
    let starts: Record<string, LegStart> = {};
    if (a.resume !== undefined) {
      const claimed = claimLiveRebalance(db!, a.resume, owner, pidAlive);
      if (claimed === undefined) throw new UsageError(`--resume ${a.resume}: no such rebalance in ${a.db}; nothing was sent`);
      if ('refused' in claimed) throw new UsageError(`rebalance refused: ${claimed.refused}`);
      row = claimed;
      if (row.kind !== kind) throw new UsageError(`resume refused: rebalance ${a.resume} was ${row.kind}, this is ${kind}; nothing was sent`);
      if (JSON.stringify(row.targets) !== JSON.stringify(a.targetsFile.targets)) throw new UsageError(`resume refused: rebalance ${a.resume} was started with other targets than ${'--targets'}; nothing was sent`);
      if (row.status === 'completed' || row.status === 'partial' || row.status === 'failed') {
        process.stderr.write(`rebalance ${a.resume} already finished (${row.status}${row.reason ? `: ${row.reason}` : ''}); nothing was sent\n`);
        return row.status === 'completed' ? EXIT.filled : row.status === 'partial' ? EXIT.partial : EXIT.failed;
      }
      rebalanceId = row.rebalanceKey;
      plan = row.plan as RebalancePlan;
      settings = row.settings as RebalanceSettings;
      cashBefore = row.cashBefore;
      positionsBefore = row.positions as Record<string, Qty>;
      targets = row.targets as RebalanceTargets;
      for (const o of [...plan.sells, ...plan.buys]) {
        const leg = readLiveExecution(db!, `${rebalanceId}:${o.symbol}`);
        starts[o.symbol] = leg === undefined ? { kind: 'new' } : { kind: 'started', qty: leg.qty };
      }
      // A sell never started is sent for no more than the account holds now.
      plan = { ...plan, sells: plan.sells.map((o) => (starts[o.symbol]?.kind === 'new' ? { ...o, qty: Math.min(o.qty, account.positions[o.symbol] ?? 0) } : o)).filter((o) => o.qty > 0) };
      process.stderr.write(`resuming rebalance ${rebalanceId} (${row.status})\n`);
    } else {
      targets = a.targetsFile.targets;
      settings = a.settings;
      checkPositionsTargeted(targets, account.positions, 'the account');
      const symbols = symbolsOf(targets, account.positions);
      const machine = rebalanceMachineSettings(a.config, symbols, settings);
      const priced = await planQuotes({ latest: (s) => latestQuote(alpaca, s, a.feed), now: () => clock.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }, symbols, machine.executions);
      if ('problem' in priced) throw new CommandFailed(`no valid quote to plan the rebalance from: ${priced.problem}; nothing was sent`, EXIT.failed);
      const markets: Record<string, SymbolMarket> = {};
      for (const s of symbols) markets[s] = { quote: priced.quotes[s]!, maxSlippageBps: machine.maxSlippageBps[s] ?? null };
      cashBefore = account.spendable;
      positionsBefore = account.positions;
      plan = planRebalance({ targets, positions: positionsBefore, cash: cashBefore, markets, settings });
      const rails = checkRebalanceRails(plan, markets, a.config);
      if (a.dryRun) return printDryRun({ plan, account, rails, live: a.live, json: a.json, markets });
      if (a.live && rails.refusals.length > 0) throw new CommandFailed(`rebalance --live refused: ${rails.refusals.join('; ')}; nothing was sent`, EXIT.refused);
      const t = new Date(clock.now());
      const hhmmss = t.toLocaleTimeString('en-GB', { timeZone: 'America/New_York', hour12: false }).replaceAll(':', '');
      rebalanceId = `RB-${etDateOf(clock.now()).replaceAll('-', '')}-${hhmmss}-${randomBytes(2).toString('hex')}`;
      // The id first, before anything is sent (with --json too): a crash leaves something to resume with.
      process.stderr.write(`rebalance id ${rebalanceId} (resume after a crash with --resume ${rebalanceId})\n`);
      const created = createLiveRebalance(db!, { rebalanceKey: rebalanceId, kind, decisionTime: clock.now(), cashBefore, positions: positionsBefore, targets, plan, settings }, owner);
      if ('refused' in created) throw new UsageError(`rebalance refused: ${created.refused}`);
      row = created;
      starts = {};
    }
    return await runAndFinish(db!, a, { rebalanceId, plan, settings, cashBefore, positionsBefore, targets, starts, resuming: a.resume !== undefined, kind, commandLine, clock, alpaca, opts, where, owner, decisionTime: row.decisionTime });
  } finally {
    try {
      if (row !== null) releaseLiveRebalance(db!, row.rebalanceKey, owner);
    } finally {
      db?.close();
    }
  }
}

interface Started {
  readonly rebalanceId: string;
  readonly plan: RebalancePlan;
  readonly settings: RebalanceSettings;
  readonly cashBefore: number;
  readonly positionsBefore: Readonly<Record<string, Qty>>;
  readonly targets: RebalanceTargets;
  readonly starts: Readonly<Record<string, LegStart>>;
  readonly resuming: boolean;
  readonly kind: 'paper' | 'live';
  readonly commandLine: string;
  readonly clock: VenueClock;
  readonly alpaca: ReturnType<typeof createAlpaca>;
  readonly opts: AlpacaSessionOptions;
  readonly where: string;
  readonly owner: { pid: number; host: string };
  readonly decisionTime: number;
}

async function runAndFinish(db: Database, a: LiveRebalanceRequest, s: Started): Promise<number> {
  const symbols = symbolsOf(s.targets, s.positionsBefore);
  const legSymbols = [...s.plan.sells, ...s.plan.buys].map((o) => o.symbol);
  const machine = rebalanceMachineSettings(a.config, symbols, s.settings);
  const windowTimes = strategySettings('ladder', a.config, legSymbols[0] ?? symbols[0]!).windowTimes;
  const windows = brokerWindows(s.clock.now(), await beforeSending(() => brokerRead(s.where, () => brokerCalendar(s.alpaca, s.clock.now()))), windowTimes);
  // One trade-updates and one stock-stream connection for every leg (Alpaca allows one market-data websocket).
  const fanout = new StreamFanout(alpacaStreams(s.alpaca, s.opts, legSymbols.length > 0 ? legSymbols : symbols));
  const alerts = new Map<string, ExecuteAlerts>();
  try {
    return await runLegs(db, a, s, { symbols, machine, windows, fanout, alerts });
  } finally {
    // After the result is out: deliveries still under way get alerts.exitGraceMs at most.
    await Promise.all([...alerts.values()].map((x) => x.close()));
  }
}

async function runLegs(
  db: Database,
  a: LiveRebalanceRequest,
  s: Started,
  w: { symbols: string[]; machine: ReturnType<typeof rebalanceMachineSettings>; windows: ReturnType<typeof brokerWindows>; fanout: StreamFanout; alerts: Map<string, ExecuteAlerts> },
): Promise<number> {
  const { symbols, machine, windows, fanout, alerts } = w;
  let result;
  try {
    result = await runLiveRebalance({
      env: { alpaca: s.alpaca, opts: s.opts, clock: s.clock, windows, config: a.config, fanout, record: legRecordIn(db, s.owner, pidAlive, a.config.alerts, alerts), kind: s.kind, decisionTime: s.decisionTime },
      rebalanceId: s.rebalanceId, plan: s.plan, settings: machine, cashBefore: s.cashBefore, starts: s.starts, resuming: s.resuming,
      spendableNow: async (): Promise<number> => (await readAccount(s.alpaca, s.where)).spendable,
      quoteNow: (symbol) => latestQuote(s.alpaca, symbol, a.feed),
      say: (line) => void process.stderr.write(`${s.rebalanceId}: ${line}\n`),
    });
  } catch (err) {
    if (err instanceof StreamUnavailableError) throw new CommandFailed(`${err.message}; nothing was sent`, EXIT.failed, { cause: err });
    throw err;
  } finally {
    fanout.close();
  }
  const lastQuotes: Record<string, Quote | null> = {};
  for (const sym of symbols) lastQuotes[sym] = await latestQuote(s.alpaca, sym, a.feed);
  let accountAfter: AccountSnapshot | null = null;
  try {
    accountAfter = await readAccount(s.alpaca, s.where);
  } catch {
    accountAfter = null; // the summary then rests on the legs' fills alone
  }
  return finishLiveRebalance(db, a, { ...s, result, lastQuotes, accountAfter, machine, alerts });
}

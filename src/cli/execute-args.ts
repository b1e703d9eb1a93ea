import { DEFAULT_CONFIG, type BetterOrdersConfig } from '../engine/config.js';
import { parseShares, type Qty, type Side } from '../engine/units.js';
import type { StockFeed } from '../live/driver/alpaca-session.js';
import { readConfigFile } from '../sim/plan/build-plan.js';
import { UsageError } from './cli-error.js';
import type { executeOptions } from './options/execute.js';

/** A user-chosen execution id: safe inside a client order id (`ID:n`, at most 128 characters). */
const EXECUTION_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** A US equity ticker as Alpaca spells it (BRK.B, SPY). */
const SYMBOL = /^[A-Z][A-Z0-9.]{0,9}$/;

type ExecuteArgv = Awaited<ReturnType<typeof executeOptions>['argv']>;

/** The command, checked and normalised, before any network call or file is touched. */
export interface ExecuteRequest {
  readonly live: boolean;
  readonly symbol: string;
  readonly side: Side;
  /** Null when sized from --notional at the arrival quote. */
  readonly qty: Qty | null;
  readonly notional: number | null;
  readonly config: BetterOrdersConfig;
  readonly endpoint: string | undefined;
  readonly feed: StockFeed;
  readonly clockSpeed: number;
  readonly db: string;
  readonly json: boolean;
  /** The id given by --execution-id or --resume; undefined: a new one is made. */
  readonly executionId: string | undefined;
  /** --resume: the execution must already exist (in the record or at the broker). */
  readonly mustExist: boolean;
}

/**
 * Every check that needs no network, in the order a user would fix them; throws UsageError with
 * one line naming the option.
 */
export function checkExecuteArgs(args: ExecuteArgv, env: NodeJS.ProcessEnv, keyId: string, secret: string): ExecuteRequest {
  if (args.paper === true && args.live === true) throw new UsageError('give --paper or --live, not both (paper trading is the default)');
  const live = args.live === true;
  if (live && env['BETTER_ORDERS_LIVE'] !== 'yes') throw new UsageError('execute --live refused: set BETTER_ORDERS_LIVE=yes to trade real money (paper trading is the default)');
  const symbol = args.symbol.toUpperCase();
  if (!SYMBOL.test(symbol)) throw new UsageError(`--symbol ${args.symbol}: expected a ticker such as TQQQ`);
  if ((args.qty === undefined) === (args.notional === undefined)) throw new UsageError('give exactly one of --qty N or --notional USD');
  let qty: Qty | null = null;
  if (args.qty !== undefined) {
    const q = parseShares(String(args.qty));
    if (q === null || q <= 0) throw new UsageError(`--qty ${args.qty}: expected a positive number of shares`);
    qty = q;
  }
  const notional = args.notional ?? null;
  if (notional !== null && !(Number.isFinite(notional) && notional > 0)) throw new UsageError(`--notional ${args.notional}: expected a positive number of dollars`);
  if (!(args['clock-speed'] > 0) || !Number.isFinite(args['clock-speed'])) throw new UsageError(`--clock-speed ${args['clock-speed']}: expected a positive number`);
  if (args.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(args.endpoint)) throw new UsageError(`--endpoint ${args.endpoint}: expected an http(s) URL such as http://127.0.0.1:8080`);
  const chosen = args.resume ?? args['execution-id'];
  if (chosen !== undefined && !EXECUTION_ID.test(chosen)) throw new UsageError(`--${args.resume !== undefined ? 'resume' : 'execution-id'} ${chosen}: expected 1-64 letters, digits, '.', '_' or '-'`);
  if (keyId === '' || secret === '') throw new UsageError('set APCA_API_KEY_ID and APCA_API_SECRET_KEY (the Alpaca keys)');
  const config = args.config !== undefined ? readConfigFile(args.config) : DEFAULT_CONFIG;
  return { live, symbol, side: args.side, qty, notional, config, endpoint: args.endpoint, feed: args.feed, clockSpeed: args['clock-speed'], db: args.db, json: args.json, executionId: chosen, mustExist: args.resume !== undefined };
}

import { DEFAULT_CONFIG, type BetterOrdersConfig } from '../engine/config.js';
import type { RebalanceSettings } from '../engine/rebalance/plan-types.js';
import type { StockFeed } from '../live/driver/alpaca-session.js';
import { readConfigFile } from '../sim/plan/build-plan.js';
import { UsageError } from './cli-error.js';
import type { rebalanceOptions } from './options/rebalance.js';
import { readTargetsFile, type TargetsFile } from './rebalance-files.js';
import { rebalanceSettings } from './rebalance-settings.js';

type RebalanceArgs = Awaited<ReturnType<typeof rebalanceOptions>['argv']>;

/** A rebalance id as this command makes them (`RB-YYYYMMDD-HHMMSS-xxxx`): safe inside client ids. */
const REBALANCE_ID = /^RB-[A-Za-z0-9._-]{1,60}$/;

/** The live form's command, checked before any network call. */
export interface LiveRebalanceRequest {
  readonly live: boolean;
  readonly targetsFile: TargetsFile;
  readonly settings: RebalanceSettings;
  readonly config: BetterOrdersConfig;
  readonly endpoint: string | undefined;
  readonly feed: StockFeed;
  readonly clockSpeed: number;
  readonly db: string;
  readonly json: boolean;
  readonly dryRun: boolean;
  readonly resume: string | undefined;
}

/** Every check that needs no network, one line naming the option (exit 2). */
export function checkLiveRebalanceArgs(args: RebalanceArgs, env: NodeJS.ProcessEnv, keyId: string, secret: string): LiveRebalanceRequest {
  if (args.positions !== undefined || args.cash !== undefined) {
    throw new UsageError('--positions and --cash belong to the simulated form: give the tapes to replay (--tape PATH... or --scenario FILE), or leave them out to rebalance the Alpaca account (its positions and cash)');
  }
  for (const flag of ['at', 'liquidity', 'seed'] as const) {
    if (args[flag] !== undefined) throw new UsageError(`--${flag} belongs to the simulated form: give the tapes to replay (--tape PATH... or --scenario FILE)`);
  }
  if (args.paper === true && args.live === true) throw new UsageError('give --paper or --live, not both (paper trading is the default)');
  const live = args.live === true;
  if (live && env['BETTER_ORDERS_LIVE'] !== 'yes') throw new UsageError('rebalance --live refused: set BETTER_ORDERS_LIVE=yes to trade real money (paper trading is the default)');
  if (!(args['clock-speed'] > 0) || !Number.isFinite(args['clock-speed'])) throw new UsageError(`--clock-speed ${args['clock-speed']}: expected a positive number`);
  if (args.endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(args.endpoint)) throw new UsageError(`--endpoint ${args.endpoint}: expected an http(s) URL such as http://127.0.0.1:8080`);
  if (args.resume !== undefined && !REBALANCE_ID.test(args.resume)) throw new UsageError(`--resume ${args.resume}: expected a rebalance id such as RB-20240603-093000-1a2b`);
  if (args.resume !== undefined && args['dry-run']) throw new UsageError('--dry-run plans a new rebalance; it does not resume one');
  const targetsFile = readTargetsFile(args.targets);
  const settings = rebalanceSettings(args, targetsFile);
  if (keyId === '' || secret === '') throw new UsageError('set APCA_API_KEY_ID and APCA_API_SECRET_KEY (the Alpaca keys)');
  const config = args.config !== undefined ? readConfigFile(args.config) : DEFAULT_CONFIG;
  return { live, targetsFile, settings, config, endpoint: args.endpoint, feed: args.feed, clockSpeed: args['clock-speed'], db: args.db, json: args.json, dryRun: args['dry-run'], resume: args.resume };
}

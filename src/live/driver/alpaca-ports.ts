import type { Alpaca } from '@alpacahq/alpaca-trade-api';
import { alpacaBroker } from './alpaca-broker.js';
import type { AlpacaSessionOptions } from './alpaca-session.js';
import { alpacaStreams, type StreamBudget } from './alpaca-streams.js';
import type { GatewayTimings } from './broker-gateway.js';
import type { DriverClock } from './broker-port.js';
import type { LivePorts } from './live-driver.js';

/** The live driver's ports over one SDK client: orders and latest quotes over REST, both streams. */
export function alpacaPorts(alpaca: Alpaca, opts: AlpacaSessionOptions, symbol: string, clock: DriverClock, tuning: { readonly timings?: GatewayTimings; readonly streams?: StreamBudget } = {}): LivePorts {
  return {
    broker: alpacaBroker(alpaca, symbol, opts.feed),
    streams: alpacaStreams(alpaca, opts, symbol, tuning.streams),
    clock,
    ...(tuning.timings !== undefined ? { timings: tuning.timings } : {}),
  };
}

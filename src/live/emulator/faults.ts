import { parseClock } from '../../engine/et-time.js';

/**
 * Faults the emulator can inject (docs/ALPACA-WIRE.md, "Faults"). `--faults` takes a
 * comma-separated list, e.g. `drop@09:31:00,http5xx=0.2,http429=0.1,delay-ack=500,reset-after-accept=2,reject=3,reject-sell=SOXL,partial,fill-during-cancel,lookup-lag=800,stall-stream=1`.
 */
export interface FaultSpec {
  /** Tape times (ET HH:MM:SS) at which every websocket is dropped, once each. */
  readonly drops: readonly string[];
  /** Shares of REST answers turned into 500 / 429 before anything is done. */
  readonly http5xx: number;
  readonly http429: number;
  /** Wall ms by which the order POST answer and its `new` trade update are delayed. */
  readonly delayAckMs: number;
  /** 1-based ordinals of order POSTs accepted at the venue whose connection is then reset. */
  readonly resetAfterAccept: readonly number[];
  /** 1-based ordinals of order POSTs, and client_order_id prefixes, refused with 403 insufficient buying power. */
  readonly rejectNth: readonly number[];
  readonly rejectPrefixes: readonly string[];
  /**
   * `reject-sell=SYM` (repeatable): every sell POSTed for SYM is refused with 403 "insufficient qty
   * available for order (requested: Q, available: 0)", as Alpaca answers when the shares cannot be
   * sold; buys of SYM and other symbols go through. Makes "one symbol's sell fails" deterministic.
   */
  readonly rejectSellSymbols: readonly string[];
  /** When set, each fill is reported in pieces of at most this fraction of the order (0 < f < 1). */
  readonly partialFraction: number | null;
  readonly fillDuringCancel: boolean;
  /**
   * Wall ms during which a just-created order (POST or replace) is invisible to lookups (by client
   * id, by id, and in order lists), as a lagging read replica would keep it: a lookup miss is not
   * proof that an order does not exist.
   */
  readonly lookupLagMs: number;
  /**
   * Websocket upgrades (trading and data streams) left unanswered, the connection held open:
   * the first N of them, or every one (Infinity). A client without a handshake timeout hangs.
   */
  readonly stallStreams: number;
  /** Share of order lookups (by client id, by id, lists) answered 500 before anything is done (seeded). */
  readonly lookup5xx: number;
  /** The first N order DELETEs answered 500 before anything is done (the cancel is not processed). */
  readonly cancel5xx: number;
  /**
   * The first N limit orders POSTed rest: accepted, but never matched (no counterparty comes),
   * until cancelled, replaced (the replacement rests too) or filled by `fill-during-cancel`. Market
   * orders never rest, so a fallback still completes. Makes "a child that is still working at its
   * timeout" deterministic, whatever the tape does.
   */
  readonly restFirst: number;
}

export const NO_FAULTS: FaultSpec = {
  drops: [],
  http5xx: 0,
  http429: 0,
  delayAckMs: 0,
  resetAfterAccept: [],
  rejectNth: [],
  rejectPrefixes: [],
  rejectSellSymbols: [],
  partialFraction: null,
  fillDuringCancel: false,
  lookupLagMs: 0,
  stallStreams: 0,
  lookup5xx: 0,
  cancel5xx: 0,
  restFirst: 0,
};

export class FaultSpecError extends Error {}

import { FAULT_SYNTAX } from './fault-syntax.js';

export { FAULT_SYNTAX };

/** Parses a `--faults` list; throws FaultSpecError with a one-line message on a bad item. */
export function parseFaults(list: string | readonly string[] | undefined): FaultSpec {
  const items = (typeof list === 'string' ? [list] : (list ?? [])).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const f = { ...NO_FAULTS, drops: [] as string[], resetAfterAccept: [] as number[], rejectNth: [] as number[], rejectPrefixes: [] as string[], rejectSellSymbols: [] as string[] };
  const bad = (item: string, why: string): never => {
    throw new FaultSpecError(`--faults: bad fault "${item}": ${why} (expected ${FAULT_SYNTAX})`);
  };
  const share = (item: string, v: string | undefined): number => {
    const x = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(x) || x < 0 || x > 1) return bad(item, 'expected a share between 0 and 1');
    return x;
  };
  const count = (item: string, v: string | undefined): number => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) return bad(item, 'expected a positive integer');
    return Number(v);
  };
  for (const item of items) {
    if (item.startsWith('drop@')) {
      const clock = item.slice(5);
      try {
        if (!/^\d{2}:\d{2}:\d{2}$/.test(clock)) throw new Error();
        parseClock(clock);
      } catch {
        bad(item, 'expected drop@HH:MM:SS (tape time, ET)');
      }
      f.drops.push(clock);
      continue;
    }
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    switch (name) {
      case 'http5xx':
        f.http5xx = share(item, value);
        break;
      case 'http429':
        f.http429 = share(item, value);
        break;
      case 'delay-ack':
        if (value === undefined || !/^\d+$/.test(value)) bad(item, 'expected delay-ack=MS (wall milliseconds)');
        f.delayAckMs = Number(value);
        break;
      case 'reset-after-accept':
        f.resetAfterAccept.push(count(item, value));
        break;
      case 'reject':
        if (value === undefined || value === '') bad(item, 'expected reject=N or reject=CLIENT_ORDER_ID_PREFIX');
        else if (/^\d+$/.test(value)) f.rejectNth.push(count(item, value));
        else f.rejectPrefixes.push(value);
        break;
      case 'reject-sell':
        if (value === undefined || !/^[A-Za-z][A-Za-z0-9.]{0,9}$/.test(value)) bad(item, 'expected reject-sell=SYMBOL');
        else f.rejectSellSymbols.push(value.toUpperCase());
        break;
      case 'partial': {
        const x = value === undefined ? 0.25 : Number(value);
        if (!(x > 0 && x < 1)) bad(item, 'expected partial or partial=F with 0 < F < 1');
        f.partialFraction = x;
        break;
      }
      case 'fill-during-cancel':
        if (value !== undefined) bad(item, 'takes no value');
        f.fillDuringCancel = true;
        break;
      case 'lookup-lag':
        if (value === undefined || !/^\d+$/.test(value)) bad(item, 'expected lookup-lag=MS (wall milliseconds)');
        f.lookupLagMs = Number(value);
        break;
      case 'stall-stream':
        f.stallStreams = value === undefined ? Infinity : count(item, value);
        break;
      case 'lookup-5xx':
        f.lookup5xx = share(item, value);
        break;
      case 'cancel-5xx':
        f.cancel5xx = count(item, value);
        break;
      case 'rest':
        f.restFirst = count(item, value);
        break;
      default:
        bad(item, 'unknown fault');
    }
  }
  if (f.http5xx + f.http429 > 1) throw new FaultSpecError('--faults: http5xx + http429 must not exceed 1');
  return f;
}

/** One fault the emulator injected, for the audit. */
export interface FaultEvent {
  readonly fault: string;
  readonly receivedAt: string;
  readonly venueTime: string;
  readonly detail: string;
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { etClockToEpoch } from '../../engine/et-time.js';
import type { Money } from '../../engine/money.js';
import type { EpochMs, Qty } from '../../engine/units.js';
import type { FillModelConfig } from '../../sim/fill-model-config.js';
import type { Tape } from '../../sim/tape/tape.js';
import { AuditLog } from './audit-log.js';
import { NO_FAULTS, parseFaults, type FaultSpec } from './faults.js';
import { DEFAULT_EMULATOR_KEYS, type Keys } from './keys.js';
import { createRestHandler } from './rest-api.js';
import { serveDataStream, serveTradingStream } from './streams.js';
import { UpdateFeed } from './update-feed.js';
import { Venue } from './venue.js';

/**
 * What the emulator replays: one tape (`tape`), or several (`tapes`: one symbol each, one date;
 * the first one's date is the trading day); exactly one of the two. With `cash` and/or `positions`
 * the account is a cash account with Alpaca's checks (account.ts); without either, the original
 * single-order account.
 */
export interface EmulatorOptions {
  readonly tape?: Tape;
  readonly tapes?: readonly Tape[];
  readonly startMs: EpochMs;
  readonly speed: number;
  /** 0 (default): an ephemeral port. */
  readonly port?: number;
  readonly keys?: Keys;
  readonly fillModel?: FillModelConfig;
  readonly seed?: string;
  /** Faults to inject: a parsed spec, or the `--faults` list text (docs/ALPACA-WIRE.md). */
  readonly faults?: FaultSpec | string;
  /** Opening cash of a cash account, Money (1e-4 dollar); default $100,000 when `positions` is given. */
  readonly cash?: Money;
  /** Opening long positions of a cash account, per symbol (each needs a tape); default none when `cash` is given. */
  readonly positions?: Readonly<Record<string, Qty>>;
}

/** The default opening cash, Money: $100,000. */
export const DEFAULT_EMULATOR_CASH: Money = 100_000 * 10_000;

export interface RunningEmulator {
  /** http://127.0.0.1:PORT: REST (trading and data) and, as ws://, the streams. */
  readonly baseUrl: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly keys: Keys;
  readonly venue: Venue;
  readonly audit: AuditLog;
  readonly faults: FaultSpec;
  close(): Promise<void>;
}

export { DEFAULT_EMULATOR_KEYS } from './keys.js';
export { EmulatorSetupError } from './tape-set.js';
import { EmulatorSetupError } from './tape-set.js';

/**
 * Starts the loopback Alpaca emulator on 127.0.0.1. Websockets: /stream (trading), /v2/{feed} (stocks).
 * @throws EmulatorSetupError (one line) for tapes that are not one per symbol of one date, or a position with no tape
 * @throws FaultSpecError for a bad `faults` text
 */
export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const keys = opts.keys ?? DEFAULT_EMULATOR_KEYS;
  const faults = typeof opts.faults === 'string' ? parseFaults(opts.faults) : (opts.faults ?? NO_FAULTS);
  if ((opts.tape === undefined) === (opts.tapes === undefined)) throw new EmulatorSetupError('give exactly one of tape or tapes');
  const tapes = opts.tapes ?? [opts.tape!];
  const cashAccount = opts.cash !== undefined || opts.positions !== undefined;
  const venue = new Venue(tapes, {
    startMs: opts.startMs,
    speed: opts.speed,
    partialFraction: faults.partialFraction,
    ...(cashAccount ? { account: { cash: opts.cash ?? DEFAULT_EMULATOR_CASH, positions: opts.positions ?? {} } } : {}),
    ...(opts.fillModel ? { fillModel: opts.fillModel } : {}),
    ...(opts.seed ? { seed: opts.seed } : {}),
  });
  const audit = new AuditLog();
  const feed = new UpdateFeed(venue);
  const handler = createRestHandler(venue, audit, keys, feed, faults, opts.seed ?? '1');
  const server: Server = createServer((req, res) => void handler(req, res));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  // stall-stream: upgrade requests held open without an answer (closed with the emulator).
  const stalled = new Set<Duplex>();
  let stallsLeft = faults.stallStreams;
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const kind = path === '/stream' ? 'trading' : /^\/v2\/(iex|sip|delayed_sip|test)$/.test(path) ? 'data' : null;
    if (kind === null) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    if (stallsLeft > 0) {
      stallsLeft -= 1;
      stalled.add(socket);
      socket.on('close', () => stalled.delete(socket));
      audit.fault('stall-stream', venue.now(), `${path}: upgrade request left unanswered`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      if (kind === 'trading') serveTradingStream(ws, feed, keys);
      else serveDataStream(ws, venue, keys);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  venue.start();
  // drop@HH:MM:SS: every websocket (trading and data) is cut once, when venue time reaches it.
  const drops = faults.drops.map((clock) => ({ clock, at: etClockToEpoch(venue.tape.date, clock), done: false }));
  const dropTimer =
    drops.length === 0
      ? null
      : setInterval(() => {
          const now = venue.now();
          for (const d of drops) {
            if (d.done || now < d.at) continue;
            d.done = true;
            const n = sockets.size;
            for (const ws of [...sockets]) ws.terminate();
            audit.fault('drop', now, `drop@${d.clock}: closed ${n} websocket connection(s)`);
          }
        }, 5);
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    keys,
    venue,
    audit,
    faults,
    async close() {
      venue.stop();
      feed.stop();
      if (dropTimer !== null) clearInterval(dropTimer);
      for (const ws of sockets) ws.terminate();
      for (const socket of stalled) socket.destroy();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

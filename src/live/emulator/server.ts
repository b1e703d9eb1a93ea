import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EpochMs } from '../../engine/units.js';
import type { FillModelConfig } from '../../sim/fill-model-config.js';
import type { Tape } from '../../sim/tape/tape.js';
import { AuditLog } from './audit-log.js';
import { createRestHandler, type Keys } from './rest-api.js';
import { serveDataStream, serveTradingStream } from './streams.js';
import { Venue } from './venue.js';

export interface EmulatorOptions {
  readonly tape: Tape;
  readonly startMs: EpochMs;
  readonly speed: number;
  /** 0 (default): an ephemeral port. */
  readonly port?: number;
  readonly keys?: Keys;
  readonly fillModel?: FillModelConfig;
  readonly seed?: string;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT: REST (trading and data) and, as ws://, the streams. */
  readonly baseUrl: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly keys: Keys;
  readonly venue: Venue;
  readonly audit: AuditLog;
  close(): Promise<void>;
}

export const DEFAULT_EMULATOR_KEYS: Keys = { keyId: 'EMULATORKEY', secret: 'emulator-secret' };

/** Starts the loopback Alpaca emulator on 127.0.0.1. Websockets: /stream (trading), /v2/{feed} (stocks). */
export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const keys = opts.keys ?? DEFAULT_EMULATOR_KEYS;
  const venue = new Venue(opts.tape, { startMs: opts.startMs, speed: opts.speed, ...(opts.fillModel ? { fillModel: opts.fillModel } : {}), ...(opts.seed ? { seed: opts.seed } : {}) });
  const audit = new AuditLog();
  const handler = createRestHandler(venue, audit, keys);
  const server: Server = createServer((req, res) => void handler(req, res));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const kind = path === '/stream' ? 'trading' : /^\/v2\/(iex|sip|delayed_sip|test)$/.test(path) ? 'data' : null;
    if (kind === null) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      if (kind === 'trading') serveTradingStream(ws, venue, keys);
      else serveDataStream(ws, venue, keys);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  venue.start();
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    keys,
    venue,
    audit,
    async close() {
      venue.stop();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

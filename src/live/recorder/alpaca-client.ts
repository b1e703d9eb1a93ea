import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { endpointFetch, streamUrls } from '../alpaca-endpoint.js';

/** Alpaca's real stock stream host (the SDK's default), as a base URL for streamUrls. */
const ALPACA_STREAM_BASE = 'https://stream.data.alpaca.markets';

export class MissingKeysError extends Error {
  override readonly name = 'MissingKeysError';
}

/** Keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY; the values are never put in a message. */
export function keysFromEnv(env: NodeJS.ProcessEnv = process.env): { keyId: string; secret: string } {
  const keyId = env['APCA_API_KEY_ID'] ?? '';
  const secret = env['APCA_API_SECRET_KEY'] ?? '';
  if (keyId === '' || secret === '') throw new MissingKeysError('set APCA_API_KEY_ID and APCA_API_SECRET_KEY (the Alpaca keys) in the environment');
  return { keyId, secret };
}

/**
 * The SDK client for market data, on Alpaca (paper trading host for the clock) or, with an
 * endpoint, on that one base URL (the loopback emulator): REST through endpointFetch, and the
 * stock stream URL for `feed`.
 */
export function dataClient(keys: { keyId: string; secret: string }, endpoint: string | undefined, feed: string): { alpaca: Alpaca; stockStreamUrl: string } {
  const alpaca = new Alpaca({ keyId: keys.keyId, secret: keys.secret, paper: true, ...(endpoint !== undefined ? { fetchApi: endpointFetch(endpoint) } : {}) });
  return { alpaca, stockStreamUrl: streamUrls(endpoint ?? ALPACA_STREAM_BASE, feed).stocks };
}

/** Checks --endpoint: an http(s) URL. Returns an error message or null. */
export function endpointProblem(endpoint: string): string | null {
  try {
    const u = new URL(endpoint);
    return u.protocol === 'http:' || u.protocol === 'https:' ? null : `--endpoint: expected an http(s) URL, got "${endpoint}"`;
  } catch {
    return `--endpoint: expected an http(s) URL, got "${endpoint}"`;
  }
}

/**
 * Points the SDK's facade (`new Alpaca(...)`, which has no base-URL option in v4) at one base URL,
 * e.g. the loopback emulator: a `fetchApi` that rewrites Alpaca's trading and data hosts.
 * Streams take their own `url` option: `${ws}/stream` (trading), `${ws}/v2/${feed}` (stocks).
 */
const ALPACA_HOSTS = /^https:\/\/(paper-api|api|data|data\.sandbox)\.alpaca\.markets/;

export function endpointFetch(baseUrl: string, inner: typeof fetch = fetch): typeof fetch {
  const base = baseUrl.replace(/\/+$/, '');
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return inner(url.replace(ALPACA_HOSTS, base), init);
  };
}

/** The websocket URLs for a base URL: http(s) becomes ws(s). */
export function streamUrls(baseUrl: string, feed = 'iex'): { readonly trading: string; readonly stocks: string } {
  const ws = baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws');
  return { trading: `${ws}/stream`, stocks: `${ws}/v2/${feed}` };
}

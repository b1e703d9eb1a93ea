/**
 * A `fetch` with a deadline over the whole exchange (connect, headers AND body), whose timer is
 * always cleared when the exchange ends. The SDK's own per-attempt deadline stays armed until a
 * body is read, and a bodiless answer (a cancel's 204) is never read: its timer then held the
 * process open for the whole timeout after the result (issue 9, finding 9). The SDK is therefore
 * configured without a timeout (`timeoutMs: 0`) and this wrapper enforces one.
 *
 * Failures name the method and URL (the query string is kept; keys travel in headers only).
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
}

/** Statuses whose Response may carry no body. */
const NO_BODY = new Set([204, 205, 304]);

export function timedFetch(timeoutMs: number, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')).toUpperCase();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
    try {
      const res = await inner(input, { ...init, signal });
      // Read the body under the same deadline, so nothing of this exchange outlives it.
      const body = NO_BODY.has(res.status) ? null : await res.arrayBuffer();
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (err) {
      const why = deadline.signal.aborted ? `no answer within ${timeoutMs} ms` : causeOf(err);
      throw new TransportError(`${method} ${url} failed: ${why}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** undici's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND, ...). */
function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code !== undefined) return cause.code;
  if (cause?.message !== undefined) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

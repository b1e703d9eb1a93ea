import type { AlertSinks } from '../../engine/alerts/alert-config.js';
import type { AlertPayload } from './alert-payload.js';

export type WebhookSettings = AlertSinks['webhook'] & { readonly url: string };

/** Why one attempt did not deliver, and whether another attempt may (no answer, 5xx, 429). */
interface AttemptFailure {
  readonly retryable: boolean;
  readonly why: string;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

async function attempt(url: string, body: string, timeoutMs: number, stop: AbortSignal): Promise<AttemptFailure | null> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'better-orders-alerts' },
      body,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]),
      redirect: 'error',
    });
    // Read nothing of the answer, but release its connection.
    await res.body?.cancel().catch(() => undefined);
    if (res.ok) return null;
    return { retryable: res.status >= 500 || res.status === 429, why: `HTTP ${res.status}` };
  } catch (err) {
    if (stop.aborted) return { retryable: false, why: 'abandoned at exit' };
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message;
    return { retryable: true, why };
  }
}

/**
 * POSTs one alert, retrying a failed attempt (no answer within `timeoutMs`, a 5xx or a 429) up to
 * `retries` times, waiting `retryDelayMs` before the first retry and twice as long before each
 * next. `stop` ends it at once (the process is exiting). Resolves with null when delivered, else
 * why not; never rejects.
 */
export async function postAlert(settings: WebhookSettings, payload: AlertPayload, stop: AbortSignal): Promise<string | null> {
  const body = JSON.stringify(payload);
  let failure: AttemptFailure | null = null;
  for (let i = 0; i <= settings.retries; i += 1) {
    if (i > 0) await sleep(settings.retryDelayMs * 2 ** (i - 1), stop);
    if (stop.aborted) return failure === null ? 'abandoned at exit' : `${failure.why}; then abandoned at exit`;
    failure = await attempt(settings.url, body, settings.timeoutMs, stop);
    if (failure === null) return null;
    if (!failure.retryable) return failure.why;
  }
  return `${failure!.why} after ${settings.retries + 1} attempt(s)`;
}

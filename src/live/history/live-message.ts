/** One line for an SDK, network or recorder failure (never includes the keys: they are not in these messages). */
export function liveMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const status = (err as { status?: unknown }).status;
  // The SDK wraps transport failures ("The request failed and the interceptors did not return an
  // alternative response"); the useful part is the cause chain (fetch failed, ECONNREFUSED ...).
  const causes: string[] = [];
  for (let c = (err as { cause?: unknown }).cause, depth = 0; c instanceof Error && depth < 3; c = (c as { cause?: unknown }).cause, depth++) causes.push(c.message);
  const text = /^The request failed/.test(err.message) && causes.length > 0 ? `cannot reach the Alpaca endpoint: ${causes.join(': ')}` : [err.message, ...causes].join(': ');
  return `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${text}`.replace(/\s*\n\s*/g, ' ');
}


/**
 * Every alert-sink field of the configuration changes what is delivered (the sinks change nothing
 * in a record, so test/engine/config-wiring.test.ts leaves them to this file), against a loopback
 * webhook receiver and a real child process; and no broker key leaves in a payload or an env.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/engine/alerts/alert.js';
import { parseConfig } from '../../../src/engine/config.js';
import { AlertDispatcher } from '../../../src/live/alerts/alert-dispatcher.js';
import { startReceiver, type Answer, type Receiver } from './loopback-receiver.js';

const KEY_ID = 'PKTEST7Q2X9LOOPBACK';
const SECRET = 'sEcReT/with"quote\\and-slash-0123456789';
const ENV = { ...process.env, APCA_API_KEY_ID: KEY_ID, APCA_API_SECRET_KEY: SECRET };

const alert = (over: Partial<Alert> = {}): Alert =>
  ({ kind: 'fallback-used', severity: 'warning', executionId: 'x1', symbol: 'TQQQ', message: 'TQQQ buy 100: fallback: market order', time: Date.parse('2024-06-03T13:30:02.500Z'), ...over }) as Alert;

let receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(answer: (nth: number) => Answer = () => 200): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

function dispatcher(sinks: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const lines: string[] = [];
  const recorded: Alert[] = [];
  const config = parseConfig({ alerts: { sinks: { stderr: { enabled: false }, ...sinks }, ...extra } }).alerts;
  const d = new AlertDispatcher(config, { writeStderr: (l) => lines.push(l), record: (a) => recorded.push(a), env: ENV });
  return { d, lines, recorded };
}

describe('webhook sink', () => {
  it('url: POSTs the alert as JSON, without waiting in publish, and records it first', async () => {
    const r = await receiver();
    const { d, recorded } = dispatcher({ webhook: { url: r.url } });
    const t0 = performance.now();
    d.publish(alert());
    const publishMs = performance.now() - t0;
    expect(recorded).toHaveLength(1);
    expect(r.received).toHaveLength(0); // nothing sent before publish returned
    expect(publishMs).toBeLessThan(50);
    expect(await d.close()).toEqual({ delivered: 1, failed: 0, abandoned: 0 });
    expect(r.received[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.received[0]!.body)).toEqual({
      source: 'better-orders', kind: 'fallback-used', severity: 'warning', executionId: 'x1', rebalanceId: null, symbol: 'TQQQ',
      message: 'TQQQ buy 100: fallback: market order', time: Date.parse('2024-06-03T13:30:02.500Z'), timeIso: '2024-06-03T13:30:02.500Z',
    });
  });

  it('no url: nothing is sent', async () => {
    const r = await receiver();
    const { d } = dispatcher({});
    d.publish(alert());
    expect(await d.close()).toEqual({ delivered: 0, failed: 0, abandoned: 0 });
    expect(r.received).toHaveLength(0);
  });

  it('minSeverity: a less severe alert is not sent', async () => {
    const r = await receiver();
    const { d } = dispatcher({ webhook: { url: r.url, minSeverity: 'critical' } });
    d.publish(alert());
    d.publish(alert({ kind: 'execution-failed', severity: 'critical', message: 'failed' }));
    await d.close();
    expect(r.received.map((x) => JSON.parse(x.body).kind)).toEqual(['execution-failed']);
  });

  it('retries and retryDelayMs: a 500 is retried after the delay, doubled each time; a 4xx is not retried', async () => {
    const r = await receiver((n) => (n < 3 ? 500 : 200));
    const { d, lines } = dispatcher({ webhook: { url: r.url, retries: 2, retryDelayMs: 150 } });
    d.publish(alert());
    expect(await d.close(5_000)).toEqual({ delivered: 1, failed: 0, abandoned: 0 });
    expect(r.received).toHaveLength(3);
    expect(r.received[1]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(140);
    expect(r.received[2]!.at - r.received[1]!.at).toBeGreaterThanOrEqual(290);
    expect(lines).toEqual([]);

    const once = await receiver(() => 500);
    const none = dispatcher({ webhook: { url: once.url, retries: 0 } });
    none.d.publish(alert());
    expect(await none.d.close(5_000)).toEqual({ delivered: 0, failed: 1, abandoned: 0 });
    expect(once.received).toHaveLength(1);
    expect(none.lines).toEqual(['better-orders: alert webhook: fallback-used for x1 not delivered: HTTP 500 after 1 attempt(s)']);

    const gone = await receiver(() => 404);
    const four = dispatcher({ webhook: { url: gone.url, retries: 3, retryDelayMs: 0 } });
    four.d.publish(alert());
    expect(await four.d.close(5_000)).toMatchObject({ failed: 1 });
    expect(gone.received).toHaveLength(1);
    expect(four.lines[0]).toMatch(/not delivered: HTTP 404$/);
  });

  it('timeoutMs: an attempt with no answer is given up after it, then retried', async () => {
    const r = await receiver(() => 'hang');
    const { d, lines } = dispatcher({ webhook: { url: r.url, timeoutMs: 200, retries: 1, retryDelayMs: 0 } });
    const t0 = performance.now();
    d.publish(alert());
    expect(await d.close(5_000)).toEqual({ delivered: 0, failed: 1, abandoned: 0 });
    const took = performance.now() - t0;
    expect(r.received).toHaveLength(2);
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(3_000);
    expect(lines).toEqual(['better-orders: alert webhook: fallback-used for x1 not delivered: no answer within 200 ms after 2 attempt(s)']);
  });
});

describe('exit grace', () => {
  it('exitGraceMs: a receiver that hangs holds close() for the grace only; the rest is abandoned and said so', async () => {
    const r = await receiver(() => 'hang');
    const { d, lines, recorded } = dispatcher({ webhook: { url: r.url, timeoutMs: 60_000 } }, { exitGraceMs: 300 });
    for (let i = 0; i < 3; i += 1) d.publish(alert({ executionId: `x${i}` }));
    await r.waitFor(1);
    const t0 = performance.now();
    expect(await d.close()).toEqual({ delivered: 0, failed: 0, abandoned: 3 });
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_000);
    expect(recorded).toHaveLength(3);
    expect(lines).toEqual(['better-orders: 3 alert deliveries abandoned after the 300 ms exit grace (the alerts are in the database)']);
  });
});

describe('command sink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'better-orders-alert-cmd-'));
  /** A notifier that appends its stdin and the APCA_* names it sees to a file. */
  const notifier = (out: string, extra = ''): string[] => [
    process.execPath, '-e',
    `let s='';process.stdin.on('data',d=>s+=d);process.stdin.on('end',()=>{${extra}require('fs').appendFileSync(${JSON.stringify(out)}, JSON.stringify({stdin:s, apca:Object.keys(process.env).filter(k=>k.startsWith('APCA_'))})+'\\n')})`,
  ];

  it('argv: runs the program with the alert JSON on stdin and no APCA_* variable in its environment', async () => {
    const out = join(dir, 'argv.jsonl');
    const { d } = dispatcher({ command: { argv: notifier(out) } });
    d.publish(alert());
    expect(await d.close(10_000)).toEqual({ delivered: 1, failed: 0, abandoned: 0 });
    const got = JSON.parse(readFileSync(out, 'utf8').trim());
    expect(got.apca).toEqual([]);
    expect(JSON.parse(got.stdin)).toMatchObject({ kind: 'fallback-used', executionId: 'x1', message: 'TQQQ buy 100: fallback: market order' });
  });

  it('minSeverity: a less severe alert does not run it', async () => {
    const out = join(dir, 'min.jsonl');
    const { d } = dispatcher({ command: { argv: notifier(out), minSeverity: 'critical' } });
    d.publish(alert({ severity: 'info' }));
    d.publish(alert({ kind: 'may-still-be-working', severity: 'critical', message: 'working' }));
    await d.close(10_000);
    expect(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(JSON.parse(l).stdin).kind)).toEqual(['may-still-be-working']);
  });

  it('timeoutMs: a program that takes longer is killed and the failure said in one line', async () => {
    const out = join(dir, 'slow.jsonl');
    const { d, lines } = dispatcher({ command: { argv: notifier(out, 'setTimeout(()=>{},60000);'), timeoutMs: 300 } });
    d.publish(alert());
    const t0 = performance.now();
    expect(await d.close(10_000)).toEqual({ delivered: 0, failed: 1, abandoned: 0 });
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(lines).toEqual(['better-orders: alert command: fallback-used for x1 not delivered: killed after 300 ms']);
  });
});

describe('stderr sink', () => {
  it('enabled and minSeverity: one line per alert at or above it, as it is published', () => {
    const on = dispatcher({ stderr: { enabled: true, minSeverity: 'warning' } });
    on.d.publish(alert({ severity: 'info', message: 'quiet' }));
    on.d.publish(alert());
    expect(on.lines).toEqual(['alert: 2024-06-03 09:30:02.500 ET  warning   fallback-used         x1  TQQQ buy 100: fallback: market order']);
    const off = dispatcher({ stderr: { enabled: false } });
    off.d.publish(alert());
    expect(off.lines).toEqual([]);
  });
});

describe('keys never leave in an alert', () => {
  it('an APCA_* value in a message is redacted on stderr, in the webhook body and on the command stdin; the record keeps the raw alert', async () => {
    const r = await receiver();
    const out = join(dir(), 'keys.jsonl');
    const leaky = alert({ message: `broker said: bad key ${KEY_ID} / ${SECRET}`, executionId: `x-${KEY_ID}` });
    const { d, lines, recorded } = dispatcher({
      stderr: { enabled: true },
      webhook: { url: r.url },
      command: { argv: [process.execPath, '-e', `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').writeFileSync(${JSON.stringify(out)},s))`] },
    });
    d.publish(leaky);
    await d.close(10_000);
    const headers = JSON.stringify(r.received[0]!.headers);
    expect(headers).not.toContain(KEY_ID);
    expect(headers).not.toMatch(/apca|authorization/i);
    const delivered = [lines.join('\n'), r.received[0]!.body, readFileSync(out, 'utf8')];
    for (const text of delivered) {
      expect(text).not.toContain(KEY_ID);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(JSON.stringify(SECRET).slice(1, -1)); // nor its JSON-escaped form
      expect(text).toContain('[redacted]');
    }
    expect(JSON.parse(r.received[0]!.body).message).toBe('broker said: bad key [redacted] / [redacted]');
    expect(recorded[0]).toBe(leaky);
  });
});

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'better-orders-alert-keys-'));
}

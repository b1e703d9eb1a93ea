import { severityRank, type Alert, type AlertSeverity } from '../../engine/alerts/alert.js';
import type { AlertConfig } from '../../engine/alerts/alert-config.js';
import { formatAlertLine } from '../../engine/alerts/format-alert.js';
import { alertPayload, redact, secretValues, type AlertPayload } from './alert-payload.js';
import { runAlertCommand } from './command-sink.js';
import { postAlert } from './webhook-sink.js';

/** What became of the deliveries to the slow sinks (webhook, command) when the dispatcher closed. */
export interface DeliveryReport {
  readonly delivered: number;
  readonly failed: number;
  /** Still queued or under way when the grace period ran out: dropped (each is in SQLite already). */
  readonly abandoned: number;
}

export interface DispatcherIo {
  /** Where the stderr sink and delivery warnings write (default: process.stderr). */
  readonly writeStderr?: (line: string) => void;
  /** Keeps the alert (SQLite), synchronously, before any sink sees it. */
  readonly record?: (alert: Alert) => void;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Replaces how a configured sink delivers (default: postAlert, runAlertCommand): a port for
   * tests that schedule deliveries themselves. Resolve null when delivered, else why not; settle
   * promptly once `stop` fires.
   */
  readonly transports?: { readonly webhook?: Deliver; readonly command?: Deliver };
}

export type Deliver = (payload: AlertPayload, stop: AbortSignal) => Promise<string | null>;

/** One slow sink: a FIFO drained one delivery at a time, off the caller's path. */
class SinkQueue {
  private readonly queue: AlertPayload[] = [];
  private draining: Promise<void> | null = null;
  delivered = 0;
  failed = 0;

  constructor(
    private readonly name: string,
    private readonly minSeverity: AlertSeverity,
    private readonly deliver: Deliver,
    private readonly stop: AbortSignal,
    private readonly warn: (line: string) => void,
  ) {}

  offer(payload: AlertPayload): void {
    if (severityRank(payload.severity) < severityRank(this.minSeverity)) return;
    this.queue.push(payload);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  /** Queued or under way (an alert leaves the queue only once its delivery has settled). */
  pending(): number {
    return this.queue.length;
  }

  idle(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    // Yield first: publish() returns before any delivery work starts.
    await Promise.resolve();
    while (this.queue.length > 0 && !this.stop.aborted) {
      const payload = this.queue[0]!;
      const why = await this.deliver(payload, this.stop);
      if (this.stop.aborted && why !== null) break; // abandoned, counted as such
      this.queue.shift();
      if (why === null) this.delivered += 1;
      else {
        this.failed += 1;
        this.warn(`better-orders: alert ${this.name}: ${payload.kind} for ${payload.executionId ?? payload.rebalanceId} not delivered: ${why}`);
      }
    }
  }
}

/**
 * Delivers alerts while an order is working, without ever making it wait: `publish` records the
 * alert and writes its stderr line synchronously (microseconds), then only enqueues it for the
 * webhook and the command, whose deliveries run on the event loop beside the order flow.
 *
 * `close()` is for the end of the process: it waits at most `exitGraceMs` for deliveries still
 * queued or under way, then aborts them (an in-flight request or program is cut at once) and
 * reports what was abandoned. So a receiver that hangs holds the exit for exitGraceMs at most
 * (2 s by default), and never delays an order.
 */
export class AlertDispatcher {
  private readonly stopper = new AbortController();
  private readonly sinks: SinkQueue[] = [];
  private readonly writeStderr: (line: string) => void;
  private readonly secrets: string[];
  private closed = false;

  constructor(
    private readonly config: AlertConfig,
    private readonly io: DispatcherIo = {},
  ) {
    this.writeStderr = io.writeStderr ?? ((line) => process.stderr.write(`${line}\n`));
    this.secrets = secretValues(io.env ?? process.env);
    const { webhook, command } = config.sinks;
    const warn = (line: string): void => this.writeStderr(line);
    if (webhook.url !== null) {
      const settings = { ...webhook, url: webhook.url };
      const deliver = io.transports?.webhook ?? ((p, stop) => postAlert(settings, p, stop));
      this.sinks.push(new SinkQueue('webhook', webhook.minSeverity, deliver, this.stopper.signal, warn));
    }
    if (command.argv.length > 0) {
      const env = io.env ?? process.env;
      const deliver = io.transports?.command ?? ((p, stop) => runAlertCommand(command, p, stop, env));
      this.sinks.push(new SinkQueue('command', command.minSeverity, deliver, this.stopper.signal, warn));
    }
  }

  /** Records, prints and enqueues one alert; returns at once. Alerts after close() are only recorded and printed. */
  publish(alert: Alert): void {
    this.io.record?.(alert);
    const { stderr } = this.config.sinks;
    if (stderr.enabled && severityRank(alert.severity) >= severityRank(stderr.minSeverity)) {
      this.writeStderr(`alert: ${redact(formatAlertLine(alert), this.secrets)}`);
    }
    if (this.closed) return;
    const payload = alertPayload(alert, this.secrets);
    for (const s of this.sinks) s.offer(payload);
  }

  /** Waits up to `exitGraceMs` for the slow sinks, then abandons what remains. Idempotent. */
  async close(graceMs: number = this.config.exitGraceMs): Promise<DeliveryReport> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const allIdle = Promise.all(this.sinks.map((s) => s.idle()));
    await Promise.race([allIdle, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.stopper.abort();
    // Aborting settles every in-flight delivery promptly (a request is cut, a program killed).
    await allIdle;
    const abandoned = this.sinks.reduce((n, s) => n + s.pending(), 0);
    if (abandoned > 0) this.writeStderr(`better-orders: ${abandoned} alert deliver${abandoned === 1 ? 'y' : 'ies'} abandoned after the ${graceMs} ms exit grace (the alerts are in the database)`);
    return {
      delivered: this.sinks.reduce((n, s) => n + s.delivered, 0),
      failed: this.sinks.reduce((n, s) => n + s.failed, 0),
      abandoned,
    };
  }
}

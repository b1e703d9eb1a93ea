/**
 * The dispatcher under every interleaving fast-check's scheduler picks of publishes, delivery
 * answers and close(): deliveries stay in publish order, one at a time per sink, and close()
 * accounts for every alert offered (delivered, failed or abandoned), whatever hangs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_SEVERITIES, severityRank, type Alert, type AlertSeverity } from '../../../src/engine/alerts/alert.js';
import { parseConfig } from '../../../src/engine/config.js';
import { AlertDispatcher, type DeliveryReport, type Deliver } from '../../../src/live/alerts/alert-dispatcher.js';

type Outcome = 'ok' | 'fail' | 'hang';

describe('AlertDispatcher interleavings', () => {
  it('property: FIFO, one delivery in flight per sink, every offered alert accounted for at close', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ severity: fc.constantFrom(...ALERT_SEVERITIES), outcome: fc.constantFrom<Outcome>('ok', 'ok', 'fail', 'hang') }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom<AlertSeverity>(...ALERT_SEVERITIES),
        async (s, items, minSeverity) => {
          const config = parseConfig({ alerts: { exitGraceMs: 0, sinks: { stderr: { enabled: false }, webhook: { url: 'http://127.0.0.1:9/never', minSeverity } } } }).alerts;
          const attempted: string[] = [];
          let inFlight = 0;
          let maxInFlight = 0;
          let ok = 0;
          const outcomeOf = new Map(items.map((it, i) => [`x${i}`, it.outcome]));
          const deliver: Deliver = (payload, stop) => {
            attempted.push(payload.executionId!);
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            const outcome = outcomeOf.get(payload.executionId!)!;
            const answer =
              outcome === 'hang'
                ? new Promise<string | null>((resolve) => stop.addEventListener('abort', () => resolve('abandoned at exit'), { once: true }))
                : s.schedule(Promise.resolve(outcome === 'ok' ? null : 'HTTP 500'), `answer x${payload.executionId}`);
            return answer.then((why) => {
              inFlight -= 1;
              if (why === null) ok += 1;
              return why;
            });
          };
          const recorded: Alert[] = [];
          const warnings: string[] = [];
          const d = new AlertDispatcher(config, { record: (a) => recorded.push(a), writeStderr: (l) => warnings.push(l), env: {}, transports: { webhook: deliver } });
          let closedAt = -1;
          const publishedIds: string[] = [];
          const publishes = items.map((it, i) =>
            s.schedule(Promise.resolve(), `publish x${i}`).then(() => {
              d.publish({ kind: 'fallback-used', severity: it.severity, executionId: `x${i}`, symbol: 'TQQQ', message: `m${i}`, time: i });
              publishedIds.push(`x${i}`);
            }),
          );
          let report: DeliveryReport | null = null;
          const closing = s.schedule(Promise.resolve(), 'close').then(async () => {
            closedAt = publishedIds.length;
            report = await d.close();
          });
          while (report === null) {
            await s.waitAll();
            await new Promise((r) => setTimeout(r, 0));
          }
          await Promise.all([...publishes, closing]);

          expect(recorded).toHaveLength(items.length); // recorded whether or not delivered, before or after close
          // Offered to the webhook: published before close() (in the order the scheduler published them), at or above its severity.
          const offered = publishedIds.slice(0, closedAt).map((id) => ({ ...items[Number(id.slice(1))]!, id })).filter((it) => severityRank(it.severity) >= severityRank(minSeverity));
          expect(maxInFlight).toBeLessThanOrEqual(1);
          expect(attempted).toEqual(offered.slice(0, attempted.length).map((o) => o.id)); // FIFO, no repeat
          const r = report as DeliveryReport;
          expect(r.delivered + r.failed + r.abandoned).toBe(offered.length);
          expect(r.delivered).toBe(ok);
          expect(inFlight).toBe(0); // close() left nothing running
          expect(warnings.filter((w) => w.includes('not delivered: HTTP 500'))).toHaveLength(r.failed);
        },
      ),
      { numRuns: 150 },
    );
  });
});

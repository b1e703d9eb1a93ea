/**
 * Worker-thread entry of a sweep (started by sweep-runner.ts from the compiled dist/ file).
 * It rebuilds the plan once from the PlanData it was started with, keeps every tape it loads for
 * the life of the worker (each tape is read once per worker, however many configurations run on
 * it), then evaluates the batches of jobs the main thread sends, posting each result as it is done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { planFromData, type PlanData } from '../../sim/backtest.js';
import { cachePlanTapes, evaluateCandidate, openKeysOf } from './evaluate.js';
import { outcomeBuffers, type BatchMessage, type WorkerMessage } from './sweep-protocol.js';

const port = parentPort;
if (port === null) throw new Error('sweep-worker.js must run in a worker thread');

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function postError(err: unknown): void {
  post({ kind: 'error', name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) });
}

try {
  const { plan: data } = workerData as { plan: PlanData };
  const plan = cachePlanTapes(planFromData(data));
  post({ kind: 'ready', openKeys: openKeysOf(plan) });
  port.on('message', (message: BatchMessage) => {
    try {
      for (const job of message.jobs) {
        const outcome = evaluateCandidate(plan, job.candidate, job.strategy);
        post({ kind: 'result', index: job.index, outcome }, outcomeBuffers(outcome));
      }
      post({ kind: 'idle' });
    } catch (err) {
      postError(err);
    }
  });
} catch (err) {
  // A tape that fails to load fails here, in every worker; the main thread reports the first.
  postError(err);
}

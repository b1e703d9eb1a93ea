/**
 * Runs jobs one at a time, in the order they were queued, so that the live driver never sends
 * an order while an earlier broker answer is still being worked out. A job that throws does not
 * break the chain: `push` reports the error to `onError` and the next job runs; `run` hands the
 * job's own result or error back to its caller (an awaited job that fails can never leave its
 * caller waiting forever).
 */
export class SerialQueue {
  private tail: Promise<void>;

  /** Nothing runs before `gate` resolves (the driver opens it once its streams are up). */
  constructor(
    gate: Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {
    this.tail = gate;
  }

  push(job: () => Promise<void> | void): void {
    this.tail = this.tail.then(job).catch((err: unknown) => this.onError(err));
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

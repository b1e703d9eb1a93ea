import cliProgress from 'cli-progress';

/** Progress of a long job, reported on stderr so stdout carries only the result. */
export interface Progress {
  /** `done` items of the total are finished (absolute, not an increment). */
  update(done: number): void;
  /** Ends the display; call once, also on failure, so a terminal gets its cursor back. */
  stop(): void;
}

export interface ProgressOptions {
  readonly stream?: NodeJS.WriteStream;
  /** What the items are, for the rate ("configs"). */
  readonly unit?: string;
  /** Items already done before this run started (a resumed sweep): they count, not in the rate. */
  readonly initial?: number;
}

/**
 * A bar with an ETA on a terminal; on a pipe or a log file, one plain line per 10% so the log stays
 * readable and a CI job still shows signs of life.
 */
export function startProgress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const unit = options.unit ?? 'items';
  const initial = options.initial ?? 0;
  const started = Date.now();
  const rate = (done: number): number => (done - initial) / Math.max(1e-3, (Date.now() - started) / 1000);
  return stream.isTTY ? barProgress(stream, label, total, initial, unit, rate) : lineProgress(stream, label, total, initial, unit, rate);
}

function barProgress(
  stream: NodeJS.WriteStream,
  label: string,
  total: number,
  initial: number,
  unit: string,
  rate: (done: number) => number,
): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate} ${unit}/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, initial, { rate: '-' });
  let stopped = false;
  return {
    update(done) {
      bar.update(done, { rate: rate(done).toFixed(1) });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

function lineProgress(
  stream: NodeJS.WriteStream,
  label: string,
  total: number,
  initial: number,
  unit: string,
  rate: (done: number) => number,
): Progress {
  let nextTenth = Math.floor((initial / Math.max(1, total)) * 10) + 1;
  return {
    update(done) {
      const tenth = Math.floor((done / Math.max(1, total)) * 10);
      if (tenth < nextTenth) return;
      nextTenth = tenth + 1;
      const r = rate(done);
      const eta = r > 0 ? Math.ceil((total - done) / r) : null;
      stream.write(`${label}: ${Math.floor((done / total) * 100)}% (${done}/${total}), ${r.toFixed(1)} ${unit}/s, ETA ${eta === null ? '?' : `${eta} s`}\n`);
    },
    stop() {
      // Plain lines leave nothing to clean up.
    },
  };
}

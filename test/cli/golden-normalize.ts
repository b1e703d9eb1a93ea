/**
 * The golden test's normalizer: the only fields of a command's output that may differ from one
 * run to the next, each replaced by a fixed marker, and nothing else. Everything the code
 * computes (prices, quantities, decision times, fills, decision logs, summaries) is kept, so a
 * hash that changes means behaviour changed.
 *
 * What varies, and why:
 * - Paths: every case writes into a fresh temp folder, and the checkout and the real tapes may sit
 *   anywhere. Each is replaced by `<tmp>`, `<repo>`, `<data>` wherever it appears in the text.
 * - Wall-clock stamps of the records (`createdAt` of runs and comparisons, `recordedAt` of
 *   alerts, the report's "written ..." ISO instant): the moment the command ran.
 * - Venue times of an emulator execution (`VENUE_TIME_KEYS`): the emulator's clock follows the
 *   wall clock, so when an order was accepted or filled depends on scheduling by a few ms. They are
 *   normalized only in the emulator cases (`venueTimes: true`); simulated times stay exact.
 * - The interval VWAP of an emulator execution (`vwap`, `vwapCostBps`): it averages the prints the
 *   recorder caught between the decision and the last fill, and an execution that fills in a few
 *   wall-clock ms may end before the next print reaches the stream. Seen: one run in three had
 *   none (null) on the same tape. Normalized with the venue times only.
 */

const WALL_CLOCK_KEYS = new Set(['createdAt', 'created_at', 'recordedAt', 'recorded_at']);

/** Keys holding emulator venue times, durations measured on them (epoch ms or ms), and the VWAP over them. */
const VENUE_TIME_KEYS = new Set(['time', 'submittedAt', 'endedAt', 'decisionTime', 'durationMs', 'timeToFillMs', 'startedAt', 'finishedAt', 'vwap', 'vwapCostBps']);

export interface NormalizeOptions {
  /** Literal strings to replace, longest first: e.g. [[tmpDir, '<tmp>'], [repoRoot, '<repo>']]. */
  readonly paths: ReadonlyArray<readonly [string, string]>;
  /** True for output of a run against the wall-clock emulator. */
  readonly venueTimes?: boolean;
}

/** The report's provenance line: "written 2026-01-02T03:04:05.678Z". */
const WRITTEN_AT = /written \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

function replacePaths(text: string, paths: NormalizeOptions['paths']): string {
  let out = text;
  for (const [from, to] of [...paths].sort((a, b) => b[0].length - a[0].length)) out = out.split(from).join(to);
  return out;
}

function walk(value: unknown, venueTimes: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, venueTimes));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (WALL_CLOCK_KEYS.has(k) && typeof v === 'number') out[k] = '<wall-clock>';
    else if (venueTimes && VENUE_TIME_KEYS.has(k) && (typeof v === 'number' || v === null)) out[k] = '<venue-time>';
    else out[k] = walk(v, venueTimes);
  }
  return out;
}

/** A command's JSON output, normalized and re-serialized (key order kept as printed). */
export function normalizeJson(stdout: string, opts: NormalizeOptions): string {
  return JSON.stringify(walk(JSON.parse(replacePaths(stdout, opts.paths)), opts.venueTimes ?? false), null, 1);
}

/** A text output (HTML report, CSV): paths and ISO wall-clock instants replaced. */
export function normalizeText(text: string, opts: NormalizeOptions): string {
  return replacePaths(text, opts.paths).replace(WRITTEN_AT, "written <wall-clock>");
}

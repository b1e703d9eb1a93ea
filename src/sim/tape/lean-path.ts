export type LeanResolution = 'tick' | 'second' | 'minute';
export type LeanKind = 'quote' | 'trade';

/** What a Lean data path says about its content. */
export interface LeanPathInfo {
  /** Upper-case ticker, e.g. "AIG". */
  readonly symbol: string;
  /** Trading date, YYYY-MM-DD. */
  readonly date: string;
  readonly resolution: LeanResolution;
  readonly kind: LeanKind;
}

// Lean's layout: <root>/equity/usa/<resolution>/<lower-case symbol>/<YYYYMMDD>_<quote|trade>.zip.
// Either separator is accepted so Windows-style paths work too.
const LEAN_PATH =
  /(?:^|[/\\])equity[/\\]usa[/\\](tick|second|minute)[/\\]([^/\\]+)[/\\](\d{4})(\d{2})(\d{2})_(quote|trade)\.zip$/i;

/**
 * Reads symbol, date, resolution and kind from a Lean equity zip path, or returns null when the
 * path does not have Lean's shape (or its YYYYMMDD is not a calendar date).
 */
export function parseLeanPath(filePath: string): LeanPathInfo | null {
  const m = LEAN_PATH.exec(filePath);
  if (m === null) return null;
  const [, res, sym, y, mo, d, kind] = m as unknown as [string, string, string, string, string, string, string];
  const date = `${y}-${mo}-${d}`;
  // Reject 20131332 and the like: Date normalises overflowing fields, so compare the round trip.
  const check = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date) return null;
  return {
    symbol: sym.toUpperCase(),
    date,
    resolution: res.toLowerCase() as LeanResolution,
    kind: kind.toLowerCase() as LeanKind,
  };
}

/**
 * The path of the trade zip that pairs with a Lean quote zip (same folder, same date), whether or
 * not it exists; null when `quotePath` is not a Lean quote path.
 */
export function leanTradeSibling(quotePath: string): string | null {
  const info = parseLeanPath(quotePath);
  if (info === null || info.kind !== 'quote') return null;
  // Replace only the file-name suffix so the result keeps the caller's spelling of the folder.
  return quotePath.replace(/_quote\.zip$/i, '_trade.zip');
}

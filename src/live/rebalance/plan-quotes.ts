import { quoteProblem, type Quote } from '../../engine/quote.js';
import type { EpochMs } from '../../engine/units.js';

/** Where the plan's quotes come from: the REST latest quote, venue time, and a wall-clock wait. */
export interface QuoteSource {
  latest(symbol: string): Promise<Quote | null>;
  now(): EpochMs;
  sleep(wallMs: number): Promise<void>;
}

/**
 * A valid quote of every symbol at one moment, by each symbol's ladder rule (maxQuoteAgeMs): the
 * plan prices every symbol at once, and a symbol whose last quote is stale (a quiet name between
 * quotes) is asked again until all are valid or the longest quoteWaitMs (venue time) has passed,
 * as the simulated rebalance waits for its plan moment. Returns the quotes, or the first problem.
 */
export async function planQuotes(source: QuoteSource, symbols: readonly string[], rules: Readonly<Record<string, { readonly maxQuoteAgeMs: number; readonly quoteWaitMs: number }>>, pollWallMs = 100): Promise<{ readonly quotes: Record<string, Quote> } | { readonly problem: string }> {
  const start = source.now();
  const wait = Math.max(0, ...symbols.map((s) => rules[s]!.quoteWaitMs));
  for (;;) {
    const quotes: Record<string, Quote> = {};
    let problem: string | null = null;
    for (const s of symbols) {
      const q = await source.latest(s);
      const p = quoteProblem(q, source.now(), rules[s]!.maxQuoteAgeMs);
      if (p !== null) {
        problem = `${s}: ${p}`;
        break;
      }
      quotes[s] = q!;
    }
    if (problem === null) return { quotes };
    if (source.now() - start >= wait) return { problem: `${problem} (waited ${wait} ms)` };
    await source.sleep(pollWallMs);
  }
}

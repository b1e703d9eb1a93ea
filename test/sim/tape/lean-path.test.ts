import { describe, expect, it } from 'vitest';
import { leanTradeSibling, parseLeanPath } from '../../../src/sim/tape/lean-path.js';

describe('parseLeanPath', () => {
  it('reads symbol, date, resolution and kind from a Lean path', () => {
    expect(parseLeanPath('../shared/data/quotes/equity/usa/tick/aig/20131007_quote.zip')).toEqual({
      symbol: 'AIG', date: '2013-10-07', resolution: 'tick', kind: 'quote',
    });
    expect(parseLeanPath('/data/equity/usa/minute/spy/20230803_trade.zip')).toEqual({
      symbol: 'SPY', date: '2023-08-03', resolution: 'minute', kind: 'trade',
    });
    expect(parseLeanPath('C:\\lean\\equity\\usa\\second\\spy\\20131008_quote.zip')?.resolution).toBe('second');
    expect(parseLeanPath('equity/usa/tick/brk.b/20131007_quote.zip')?.symbol).toBe('BRK.B');
  });

  it('is null when the path is not Lean-shaped', () => {
    for (const p of [
      'equity/usa/hour/aig/20131007_quote.zip', // hourly files have another layout
      'equity/usa/tick/aig/20131007_quote.csv',
      'equity/usa/tick/aig/2013107_quote.zip',
      'equity/usa/tick/aig/20131007_openinterest.zip',
      'tick/aig/20131007_quote.zip',
      'equity/usa/tick/aig/20131332_quote.zip', // not a calendar date
      'equity/usa/tick/aig/20130229_quote.zip',
    ]) {
      expect(parseLeanPath(p), p).toBeNull();
    }
  });
});

describe('leanTradeSibling', () => {
  it('is the _trade.zip beside a _quote.zip, spelled like the input', () => {
    expect(leanTradeSibling('./x/equity/usa/tick/aig/20131007_quote.zip')).toBe('./x/equity/usa/tick/aig/20131007_trade.zip');
  });
  it('is null for a trade path or a non-Lean path', () => {
    expect(leanTradeSibling('equity/usa/tick/aig/20131007_trade.zip')).toBeNull();
    expect(leanTradeSibling('quotes.zip')).toBeNull();
  });
});

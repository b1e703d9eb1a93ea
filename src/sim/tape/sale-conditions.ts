/**
 * Which trade prints are regular continuous-session trades: the only prints that can fill a
 * resting order in the simulator (and that weigh in VWAP). A print that is reported late, out of
 * sequence, at an average or derived price, in an auction cross, or outside regular hours did not
 * happen against the displayed book at that moment, so it proves nothing about a queue there.
 *
 * Lean tick trades carry a hex bitmask of QuantConnect's TradeConditionFlags (AlgoSeek's sale
 * conditions). A print counts when it has no flag outside this set:
 * - Regular (bit 0), or no flag at all ("a trade made without stated conditions is regular way");
 * - YellowFlag (bit 4): a regular trade during an unusual event, eligible for every statistic;
 * - IntermarketSweep (bit 5): a sweep order's fill, at the displayed prices it swept;
 * - AutoExecution (bit 28): NYSE's automatic execution against the book;
 * - TradeThroughExempt (bit 29): the Reg NMS exemption flag that accompanies sweeps;
 * - OddLot (bit 31): a trade of fewer than 100 shares, still an execution at that price.
 * Everything else is excluded: Cash, NextDay, Seller, OpeningPrints, ClosingPrints,
 * ReOpeningPrints, DerivativelyPriced, FormT, Sold (late), Stopped, ExtendedHours,
 * OutOfSequence, Split, Acquisition, Bunched, StockOption, Distribution, AveragePrice, Cross,
 * PriceVariation, Rule155, OfficialClose, PriorReferencePrice, OfficialOpen, CapElection and the
 * undocumented bit 30. An unreadable condition field is excluded too: it cannot be shown regular.
 */
const LEAN_REGULAR_BITS = (1 << 0) | (1 << 4) | (1 << 5) | (1 << 28) | (1 << 29) | (1 << 31);

/** True when a Lean TradeConditionFlags value (as read from hex; -1 = unreadable) is a regular trade. */
export function isRegularLeanCondition(flags: number): boolean {
  if (flags < 0 || flags > 0xffff_ffff) return false;
  // `&` works on the low 32 bits; flags above 2^31 keep their bit pattern.
  return (flags & ~LEAN_REGULAR_BITS) === 0;
}

/** A Lean condition value written for a regular print and one for an excluded (late, "Sold") print. */
export const LEAN_REGULAR_CONDITION = '1';
export const LEAN_EXCLUDED_CONDITION = '800';

/**
 * SIP (CTA/UTP) sale-condition codes, as Alpaca and most vendors report them, that keep a print
 * regular: '@' regular sale, 'F' intermarket sweep, 'I' odd lot, 'E' automatic execution,
 * 'Y' yellow flag, and a blank. Any other code (for example 'T' form T, 'U' extended hours,
 * 'Z' sold out of sequence, 'L' sold last, 'W' average price, 'O'/'Q'/'M'/'6'/'5' opening,
 * official and closing prints, 'X' cross, '4' derivatively priced, 'P' prior reference price)
 * excludes it.
 */
const SIP_REGULAR_CODES = new Set(['@', 'F', 'I', 'E', 'Y']);

/**
 * The generic CSV's optional `conditions` field: SIP codes separated by spaces or `|`
 * ("@ F I", "@|T"). Empty = regular. Returns whether the print is regular.
 */
export function isRegularSipConditions(field: string): boolean {
  for (const code of field.split(/[\s|]+/)) {
    if (code !== '' && !SIP_REGULAR_CODES.has(code.toUpperCase())) return false;
  }
  return true;
}

/**
 * Quantiles of a weighted sample, where each value counts for its weight (here: the milliseconds a
 * quote prevails), so a burst of updates does not outvote a quote that stood for minutes.
 *
 * Definition (the lower quantile of the weighted distribution, no interpolation): the q-quantile
 * is the smallest value v whose cumulative weight (the total weight of values <= v) is at least
 * q * total weight. The answer is therefore always a value that was actually observed, which for
 * spreads means a real spread on the tick grid rather than an average of two.
 */
export interface WeightedSample {
  readonly values: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
  readonly length: number;
}

// Weights are integer milliseconds, so running sums are exact; q * total is not (0.9 * total may
// land one ulp above an exactly reached boundary), so the comparison forgives that rounding.
const RELATIVE_SLACK = 1e-12;

/**
 * The q-quantile (0 < q <= 1) of each requested q, in the order given; null for an empty sample
 * or one whose total weight is 0. Zero-weight entries never change the answer.
 */
export function weightedQuantiles(sample: WeightedSample, qs: readonly number[]): Array<number | null> {
  for (const q of qs) {
    if (!(q > 0 && q <= 1)) throw new RangeError(`invalid quantile ${q}: expected 0 < q <= 1`);
  }
  const n = sample.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += sample.weights[i]!;
  if (n === 0 || !(total > 0)) return qs.map(() => null);

  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const values = sample.values;
  order.sort((a, b) => values[a]! - values[b]!);

  const targets = qs.map((q) => q * total * (1 - RELATIVE_SLACK));
  const answers: Array<number | null> = qs.map(() => null);
  let acc = 0;
  let pending = qs.length;
  for (let k = 0; k < n && pending > 0; k++) {
    const i = order[k]!;
    acc += sample.weights[i]!;
    for (let j = 0; j < qs.length; j++) {
      if (answers[j] === null && acc >= targets[j]!) {
        answers[j] = values[i]!;
        pending--;
      }
    }
  }
  return answers;
}

/** Growable parallel arrays of (value, weight), for building a sample without per-row objects. */
export class WeightedSampleBuilder implements WeightedSample {
  values = new Float64Array(1024);
  weights = new Float64Array(1024);
  length = 0;

  push(value: number, weight: number): void {
    if (this.length === this.values.length) {
      const v = new Float64Array(this.length * 2);
      const w = new Float64Array(this.length * 2);
      v.set(this.values);
      w.set(this.weights);
      this.values = v;
      this.weights = w;
    }
    this.values[this.length] = value;
    this.weights[this.length] = weight;
    this.length++;
  }
}

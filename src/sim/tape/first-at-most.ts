/** Leaves per block: a query scans at most two blocks and climbs a tree over the block minima. */
const BLOCK_SHIFT = 5;
const BLOCK = 1 << BLOCK_SHIFT;

export type NumericColumn = Int32Array | Float64Array | Uint8Array;

/**
 * Answers "the first index at or after `from` whose value is <= x" in O(log n) over a fixed
 * column: the column is cut into blocks of 32 values, and a segment tree over the block minima
 * finds the first block that holds such a value. Memory: the column itself (not copied) plus
 * about two doubles per block.
 *
 * Exact for any numbers: a NaN value is never <= x, so it is never found.
 */
export class FirstAtMostIndex {
  /** Segment tree over block minima: node 1 is the root, leaves start at `leafBase`. */
  private readonly tree: Float64Array;
  private readonly leafBase: number;

  constructor(
    private readonly values: NumericColumn,
    /** How many leading entries of `values` count (typed columns may be longer than their data). */
    readonly length: number,
  ) {
    const blocks = Math.max(1, Math.ceil(length / BLOCK));
    let base = 1;
    while (base < blocks) base *= 2;
    this.leafBase = base;
    const tree = new Float64Array(2 * base).fill(Infinity);
    for (let b = 0; b < blocks; b++) {
      let m = Infinity;
      const end = Math.min(length, (b + 1) * BLOCK);
      for (let i = b * BLOCK; i < end; i++) {
        const v = values[i]!;
        if (v < m) m = v;
      }
      tree[base + b] = m;
    }
    for (let node = base - 1; node >= 1; node--) {
      const l = tree[2 * node]!;
      const r = tree[2 * node + 1]!;
      tree[node] = l <= r ? l : r;
    }
    this.tree = tree;
  }

  /** The first index i >= from (and < length) with values[i] <= x, or `length` when there is none. */
  firstAtMost(from: number, x: number): number {
    const n = this.length;
    if (from < 0) from = 0;
    if (from >= n) return n;
    const values = this.values;
    const block = from >> BLOCK_SHIFT;
    const end = Math.min(n, (block + 1) << BLOCK_SHIFT);
    for (let i = from; i < end; i++) if (values[i]! <= x) return i;
    const next = this.firstBlockAtMost(block + 1, x);
    if (next < 0) return n;
    const stop = Math.min(n, (next + 1) << BLOCK_SHIFT);
    for (let i = next << BLOCK_SHIFT; i < stop; i++) if (values[i]! <= x) return i;
    return n; // unreachable: the block's minimum is <= x
  }

  /** The first block b >= from whose minimum is <= x, or -1. */
  private firstBlockAtMost(from: number, x: number): number {
    const base = this.leafBase;
    if (from >= base) return -1;
    const tree = this.tree;
    let v = from + base;
    // Climb to the leftmost subtree, starting at leaf `from`, that holds a value <= x.
    while (!(tree[v]! <= x)) {
      while ((v & 1) === 1) v >>= 1; // a right child: its right neighbours lie above
      if (v === 0) return -1; // climbed past the root
      v++;
    }
    while (v < base) {
      v = 2 * v;
      if (!(tree[v]! <= x)) v++;
    }
    return v - base;
  }
}

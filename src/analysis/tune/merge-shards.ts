import { inShard, unsharded, type SweepSpec } from './sweep-spec.js';
import type { CandidateOutcome } from './types.js';

/**
 * Combining the shards of one sweep (`tune --shard K/N`, each into its own database) into the
 * results one unsharded sweep would have stored. Nothing is recomputed: each candidate's result
 * comes from the shard that owns its index, the baselines from the first shard once every shard
 * has been checked to agree on them, which they do bit for bit when the shards ran on the same
 * data and code.
 */

/** One finished (or not) shard as read from its database. */
export interface ShardSweep {
  /** "FILE sweep ID", for messages. */
  readonly where: string;
  readonly spec: SweepSpec;
  readonly status: string;
  readonly codeVersion: string;
  readonly openKeys: readonly string[] | null;
  readonly results: readonly (CandidateOutcome & { readonly candidateIndex: number })[];
}

export interface MergedSweep {
  /** The shards' common spec, without a shard: that of the one sweep they add up to. */
  readonly spec: SweepSpec;
  readonly results: ReadonlyMap<number, CandidateOutcome>;
  readonly openKeys: readonly string[];
  readonly codeVersion: string;
  /** How many shards were combined. */
  readonly shards: number;
}

/** The shards cannot be combined; the message says why in one line. A RangeError, so the CLI prints just that. */
export class ShardMergeError extends RangeError {
  override readonly name = 'ShardMergeError';
}

function bytes(o: CandidateOutcome): string {
  const hex = (a: Float64Array | Uint8Array | undefined): string => (a === undefined ? '-' : Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'));
  return [hex(o.costs), hex(o.filled), hex(o.fallback), hex(o.completeMs)].join('|');
}

/** Picks the one complete sharded sweep among `shards` and merges it; ShardMergeError otherwise. */
export function mergeShards(shards: readonly ShardSweep[]): MergedSweep {
  if (shards.length === 0) throw new ShardMergeError('tune merge: no sharded sweep (tune --shard K/N) in these databases');
  const groups = new Map<string, ShardSweep[]>();
  for (const s of shards) {
    const key = JSON.stringify(unsharded(s.spec));
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const byIndex = (group: readonly ShardSweep[]): Map<number, ShardSweep> => {
    const out = new Map<number, ShardSweep>();
    for (const s of group) if (s.status === 'done' && !out.has(s.spec.shard!.index)) out.set(s.spec.shard!.index, s);
    return out;
  };
  const complete = [...groups.values()].filter((g) => byIndex(g).size === g[0]!.spec.shard!.count);
  if (complete.length > 1) throw new ShardMergeError(`tune merge: these databases hold ${complete.length} different complete sharded sweeps; give only the files of one`);
  if (complete.length === 0) {
    const group = [...groups.values()].sort((a, b) => byIndex(b).size - byIndex(a).size)[0]!;
    const n = group[0]!.spec.shard!.count;
    const have = byIndex(group);
    const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !have.has(k)).map((k) => `${k}/${n}`);
    const unfinished = group.filter((s) => s.status !== 'done').map((s) => `${s.spec.shard!.index}/${n} is ${s.status} in ${s.where}`);
    throw new ShardMergeError(`tune merge: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of the sweep ${missing.length > 1 ? 'are' : 'is'} missing or unfinished${unfinished.length > 0 ? ` (${unfinished.join('; ')}; finish it with tune --resume)` : ''}`);
  }
  const parts = [...byIndex(complete[0]!).values()].sort((a, b) => a.spec.shard!.index - b.spec.shard!.index);
  const first = parts[0]!;
  const spec = unsharded(first.spec);
  const results = new Map<number, CandidateOutcome>();
  for (const part of parts) {
    if (part.openKeys === null || JSON.stringify(part.openKeys) !== JSON.stringify(first.openKeys)) {
      throw new ShardMergeError(`tune merge: ${part.where} does not record the same opens as ${first.where}`);
    }
    for (const r of part.results) {
      const { candidateIndex, costs, filled, fallback, completeMs } = r;
      const outcome: CandidateOutcome = completeMs === undefined ? { costs, filled, fallback } : { costs, filled, fallback, completeMs };
      if (candidateIndex < 0) {
        const known = results.get(candidateIndex);
        if (known === undefined) results.set(candidateIndex, outcome);
        else if (bytes(known) !== bytes(outcome)) {
          throw new ShardMergeError(`tune merge: baseline ${candidateIndex} differs between ${first.where} and ${part.where}: the shards did not run on the same data and code`);
        }
      } else if (inShard(candidateIndex, part.spec.shard!)) {
        results.set(candidateIndex, outcome);
      }
    }
  }
  const absent = spec.candidates.map((_, i) => i).filter((i) => !results.has(i));
  if (absent.length > 0) throw new ShardMergeError(`tune merge: ${absent.length} candidate result(s) missing from the shards (e.g. #${absent[0]})`);
  return { spec, results, openKeys: first.openKeys!, codeVersion: first.codeVersion, shards: parts.length };
}

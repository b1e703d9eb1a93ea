import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { median, round } from './timing.js';

/** Alternating runs of each, so a machine's load drift falls on both sides alike. */
const RUNS = 7;

function wallMs(args: readonly string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`benchmark: \`node ${args.join(' ')}\` exited ${r.status}`);
  return performance.now() - start;
}

/**
 * `better-orders --help` against a bare `node -e 0`, side by side: the CLI's start-up cost as a
 * ratio that holds across machines (the target: at most about three bare starts).
 */
export function measureHelpStart(repoRoot: string) {
  const bin = path.join(repoRoot, 'bin', 'better-orders.js');
  const help: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    help.push(wallMs([bin, '--help']));
    bare.push(wallMs(['-e', '0']));
  }
  const helpMs = round(median(help));
  const bareNodeMs = round(median(bare));
  return { helpMs, bareNodeMs, helpStartRatio: round(helpMs / bareNodeMs, 2) };
}

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'better-orders.js');
export const REAL_DATA = resolve(REPO_ROOT, '..', 'shared', 'data', 'quotes');
export const hasRealData = existsSync(REAL_DATA);

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built executable as a user would (npm test builds dist/ first). */
export function runCli(args: readonly string[], cwd: string = REPO_ROOT): CliResult {
  // --json on a whole scenario prints megabytes; spawnSync's 1 MB default would kill the child.
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, BETTER_ORDERS_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'better-orders-cli-'));
}

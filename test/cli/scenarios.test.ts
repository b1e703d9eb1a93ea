import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, hasRealData, tempDir } from './run-cli.js';
import { runInProcess } from './run-in-process.js';

const SCENARIOS = readdirSync(join(REPO_ROOT, 'scenarios')).filter((f) => f.endsWith('.json'));

describe('every scenario in scenarios/ runs from the CLI', () => {
  it('has the library the realism issue asks for', async () => {
    for (const name of ['default', 'wide-open', 'gap-and-run', 'reversal', 'thin-quotes', 'bad-quotes', 'halt', 'real-dev']) {
      expect(SCENARIOS).toContain(`${name}.json`);
    }
  });

  it.each(SCENARIOS)('%s', async (file) => {
    const r = await runInProcess(['backtest', '--scenario', join('scenarios', file), '--json', '--db', join(tempDir(), 'run.db')]);
    expect(r.status).toBe(0);
    if (file === 'real-dev.json' && !hasRealData) {
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^real-dev: skipped: none of its 9 tape\(s\) exist/);
      return;
    }
    const out = JSON.parse(r.stdout) as { executions: { strategy: string; outcome: string; reason: string | null; qty: number; filledQty: number }[] };
    expect(new Set(out.executions.map((e) => e.strategy))).toEqual(new Set(['ladder', 'market', 'progressive', 'passive']));
    for (const e of out.executions) {
      expect(e.filledQty).toBeLessThanOrEqual(e.qty);
      if (e.outcome !== 'filled') expect(e.reason).toBeTruthy();
    }
  });
});
